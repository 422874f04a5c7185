#include "json_failure.hpp"

#include "cli_support.hpp"

#include <boost/json.hpp>
#include <iostream>
#include <streambuf>

namespace gpuhost::cli {

bool wants_json(const std::vector<std::string> &args) {
    for (const auto &a : args) {
        if (a == "--") return false;
        if (a == "--json") return true;
    }
    return false;
}

std::string exit_kind(int exit_code) {
    switch (exit_code) {
    case kOk: return "ok";
    case kFailed: return "failed";
    case kUsage: return "usage";
    case kBadInput: return "bad_input";
    case kNoDevice: return "no_device";
    case kInterrupted: return "interrupted";
    default: return "failed";
    }
}

namespace {

// Forwards to the real stream buffer; counts what went through and, when
// asked, keeps a copy.
class WatchBuf : public std::streambuf {
public:
    WatchBuf(std::streambuf *target, bool keep) : target_(target), keep_(keep) {}
    std::size_t written = 0;
    std::string kept;

protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        ++written;
        if (keep_) kept.push_back(traits_type::to_char_type(c));
        return target_->sputc(traits_type::to_char_type(c));
    }
    std::streamsize xsputn(const char *s, std::streamsize n) override {
        written += std::size_t(n);
        if (keep_) kept.append(s, std::size_t(n));
        return target_->sputn(s, n);
    }
    int sync() override { return target_->pubsync(); }

private:
    std::streambuf *target_;
    bool keep_;
};

}  // namespace

struct JsonFailureGuard::Impl {
    std::streambuf *out_orig = std::cout.rdbuf();
    std::streambuf *err_orig = std::cerr.rdbuf();
    WatchBuf out{out_orig, false};
    WatchBuf err{err_orig, true};
};

JsonFailureGuard::JsonFailureGuard() : impl_(std::make_unique<Impl>()) {
    std::cout.rdbuf(&impl_->out);
    std::cerr.rdbuf(&impl_->err);
}

JsonFailureGuard::~JsonFailureGuard() {
    std::cout.flush();
    std::cout.rdbuf(impl_->out_orig);
    std::cerr.rdbuf(impl_->err_orig);
}

int JsonFailureGuard::finish(int exit_code) {
    if (exit_code == kOk || impl_->out.written > 0) return exit_code;
    boost::json::array details;
    std::string message;
    std::size_t start = 0;
    const std::string &text = impl_->err.kept;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        // The first line gpuhost itself wrote is the error; progress lines are context.
        if (message.empty() && (line.rfind("gpuhost", 0) == 0 || line.rfind("usage:", 0) == 0)) message = line;
        details.emplace_back(line);
    }
    if (message.empty() && !details.empty()) message = std::string(details.back().as_string());
    if (message.empty()) message = "gpuhost exited with code " + std::to_string(exit_code);
    print_json(boost::json::object{
        {"error", boost::json::object{{"exit_code", exit_code},
                                      {"kind", exit_kind(exit_code)},
                                      {"message", message},
                                      {"details", std::move(details)}}}});
    return exit_code;
}

}  // namespace gpuhost::cli
