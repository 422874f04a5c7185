-- Recovery rules for network failures while downloading packages.
-- Patterns are RE2 regular expressions, matched line by line, ignoring case.
return {
  {
    id = "network_unreachable",
    patterns = {
      any = {
        "temporary failure in name resolution",
        -- uv's hint after a failed connection to the index.
        "are you connected to the internet\\?",
        -- Ultralytics' and NVIDIA's installers' words for a machine that cannot reach the internet.
        "environment may be offline|does not have (an? )?internet access",
        "name or service not known",
        "failed to establish a new connection",
        "network is unreachable",
        "nodename nor servname provided",
        "read timed out",
        -- uv.
        "failed to download distribution due to network timeout",
        "request failed after \\d+ retr",
        -- Name resolution failing as Windows' getaddrinfo and conda's fetch say it.
        "getaddrinfo failed",
        "\\[errno 11001\\]",
        "could not connect to https?://[^\\s]+ *$",
        "http 000 connection failed",
        "could not connect, are you offline",
        -- pip's own connection errors.
        "failed to connect to [^ ]+ while fetching",
        "didn'?t respond within [\\d.]+ seconds",
        -- Go programs' (ollama, docker) resolver and dialer failing.
        "dial tcp: lookup [[:alnum:]._-]+( on [^ ]+)?: (server misbehaving|no such host|i/o timeout)",
        "dial tcp [^ ]+: (connect: )?(network is unreachable|i/o timeout)",
        -- huggingface_hub finding neither the Hub nor a cached copy.
        "please check your connection and try again or make sure your internet connection is on",
      },
      none = {
        "proxyerror",
        "cannot connect to proxy",
        "proxy authentication required",
        "failed to connect to proxy",
        -- A TLS failure named in the same report: ssl_certificate_error.
        "certificate[ _]verify[ _]failed",
        "invalid peer certificate",
      },
    },
    hints = {
      "connection (refused|reset|aborted|timed out|failed|error|closed)",
      -- A connection, request or download that timed out (a GPU or a watchdog timing out is not the network).
      "(connect|request|read|socket|http|download|fetch|index|pool)\\w*.*timed? ?out|timed? ?out.*(connect|request|socket|http|download|fetch|index|pool)",
      "name resolution|getaddrinfo|\\bdns\\b|resolve host|could not resolve",
      "network (is )?(unreachable|error|down)",
      "max retries exceeded",
      -- urllib3's, conda's and Go's words for a connection that was never made.
      "newconnectionerror|after connection broken by|could not connect to https?://|dial tcp",
      -- Go's and Node's words for a connection that never got through.
      "dial tcp|server misbehaving|no route to host|\\be(connrefused|connreset|notfound|netunreach|hostunreach|timedout)\\b|\\bunreachable\\b",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The package index cannot be reached (no network, DNS failure, or firewall).",
    steps = {
      "Test DNS and HTTPS to the index that failed: getent hosts ${index_host} && curl -sSI https://${index_host}/ | head -1",
      "Check DNS config: cat /etc/resolv.conf (in WSL/containers a missing nameserver is common)",
      "If you need a proxy: export HTTPS_PROXY=http://proxy.example:3128",
      "Retry with longer timeouts: ${venv}/bin/pip install --timeout 120 --retries 10 <package>",
    },
  },
  {
    id = "ssl_certificate_error",
    patterns = {
      any = {
        "certificate_verify_failed",
        -- uv's hint after a TLS failure.
        "you may need to use --cert\\b",
        "certificate verify failed",
        "sslcertverificationerror",
        "there was a problem confirming the ssl certificate",
        "self[\\- ]signed certificate in certificate chain",
        -- pip 25+ and uv (rustls).
        "failed to establish a secure connection (to|for) ",
        "invalid peer certificate",
      },
    },
    hints = {
      "\\bssl",
      "certificate",
      "\\btls\\b",
      "\\bx509\\b",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "TLS verification failed - usually a corporate proxy re-signs HTTPS traffic with a certificate Python does not trust.",
    steps = {
      "Get the corporate root CA (ask IT) and tell pip about it: ${venv}/bin/pip config set global.cert /path/to/corp-ca.pem",
      "Or for all Python HTTP clients: export REQUESTS_CA_BUNDLE=/path/to/corp-ca.pem SSL_CERT_FILE=/path/to/corp-ca.pem",
      "System-wide (Debian/Ubuntu): sudo cp corp-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates",
      "Newer pip (24.2+ on Python 3.10+) uses the OS trust store: ${venv}/bin/python -m pip install --upgrade pip --cert /path/to/corp-ca.pem",
    },
  },
  {
    id = "proxy_error",
    patterns = {
      any = {
        "proxyerror",
        "cannot connect to proxy",
        "tunnel connection failed",
        "407 proxy authentication required",
        "failed to connect to proxy",
        -- uv's report of a proxy asking for credentials.
        "caused by: proxy authentication required",
        -- pip told to use a SOCKS proxy (ALL_PROXY=socks5://...) without the PySocks support to speak to it.
        "missing dependencies for socks support",
        -- A reply that is not HTTP at all: something between pip and the index speaks another
        -- protocol, a proxy set with the wrong scheme (a SOCKS or HTTPS proxy given as http://).
        "connection broken by [^\\n]*badstatusline",
      },
    },
    hints = {
      "\\bproxy",
      "\\bsocks\\d?\\b",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "pip could not get through the configured HTTP(S) proxy (wrong address, proxy down, or authentication required).",
    steps = {
      "Show the proxy settings: env | grep -i _proxy; ${venv}/bin/pip config list",
      "Set the proxy with credentials: export HTTPS_PROXY=http://user:password@proxy.example:8080 HTTP_PROXY=$HTTPS_PROXY",
      "Or pass it to pip: ${venv}/bin/pip install --proxy http://user:password@proxy.example:8080 <package>",
      "If no proxy is needed, unset it: unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy",
    },
  },
}
