// Can this machine reach the package indexes? A TCP connection to port 443 of
// each host, all at once, each bounded by the timeout (Boost.Asio).
#include "doctor.hpp"

#include <boost/asio.hpp>
#include <algorithm>
#include <cstdlib>
#include <memory>

namespace asio = boost::asio;
using asio::ip::tcp;

namespace gpuhost::doctor {

struct Probe {
    std::string host;
    tcp::resolver resolver;
    tcp::socket socket;
    std::string outcome = "no answer within the timeout";
    bool done = false, ok = false;
    std::string address;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    double ms = 0;
    Probe(asio::io_context &io, std::string h) : host(std::move(h)), resolver(io), socket(io) {}
};

// "https://user:token@host:8443/simple/" -> "host"
static std::string host_of(const std::string &url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto authority = url.substr(start, url.find_first_of("/?#", start) - start);
    if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
    return authority.substr(0, authority.find(':'));
}

std::vector<std::string> index_hosts_of(const std::string &index_url, const std::vector<std::string> &extra_index_urls) {
    std::vector<std::string> hosts = {"pypi.org", "files.pythonhosted.org"};
    auto add = [&hosts](const std::string &url) {
        auto h = host_of(url);
        if (!h.empty() && std::find(hosts.begin(), hosts.end(), h) == hosts.end()) hosts.push_back(h);
    };
    if (!index_url.empty()) add(index_url);
    for (const auto &u : extra_index_urls) add(u);
    return hosts;
}

void check_network(const Context &ctx, Report &report) {
    if (!ctx.live()) {
        report.skipped.push_back("network: reachability is this machine's, not the recording's");
        return;
    }
    asio::io_context io;
    std::vector<std::unique_ptr<Probe>> probes;
    for (const auto &host : ctx.options.index_hosts) {
        auto p = std::make_unique<Probe>(io, host);
        Probe *raw = p.get();
        raw->resolver.async_resolve(host, "443", [raw](const boost::system::error_code &ec, tcp::resolver::results_type results) {
            if (ec) {
                raw->done = true;
                raw->outcome = "name not resolved: " + ec.message();
                return;
            }
            asio::async_connect(raw->socket, results, [raw](const boost::system::error_code &ec, const tcp::endpoint &ep) {
                raw->done = true;
                raw->ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - raw->start).count();
                if (ec) {
                    raw->outcome = "connect to port 443 failed: " + ec.message();
                } else {
                    raw->ok = true;
                    raw->address = ep.address().to_string();
                    raw->outcome = "reachable";
                }
            });
        });
        probes.push_back(std::move(p));
    }
    io.run_for(ctx.options.network_timeout);
    const char *proxy = std::getenv("https_proxy");
    if (!proxy || !*proxy) proxy = std::getenv("HTTPS_PROXY");
    for (const auto &p : probes) {
        char timing[32];
        std::snprintf(timing, sizeof timing, "%.0f ms", p->ms);
        auto &f = p->ok ? report.add("network", Severity::info, p->host + ":443 reachable (" + p->address + ", " + timing + ")")
                        : report.add("network", Severity::warning,
                                     p->host + ":443 unreachable: " + p->outcome,
                                     std::string("installs from this index will fail; check the network, DNS and firewall") +
                                         (proxy && *proxy ? " (a proxy is set; this check connects directly, pip uses the proxy)"
                                                          : "; behind a proxy set HTTPS_PROXY") +
                                         ", or use a wheelhouse (pip download on a connected machine)",
                                     "network_unreachable");
        f.details["host"] = p->host;
        f.details["reachable"] = p->ok;
    }
}

}  // namespace gpuhost::doctor
