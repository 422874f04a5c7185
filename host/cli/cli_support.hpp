// What every subcommand shares: exit codes, common options, --help, tables.
#pragma once
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace gpuhost::cli {

namespace po = boost::program_options;

// Documented in `gpuhost --help`; scripts may rely on them.
enum Exit : int {
    kOk = 0,
    kFailed = 1,        // the job ran and failed (install, verification, a probe error with --strict)
    kUsage = 2,         // wrong command line
    kBadInput = 3,      // a file given or found is broken (config, profile, JSON, script)
    kNoDevice = 4,      // no usable device for the request, or the forced backend is unusable
    kInterrupted = 130, // stopped by SIGINT/SIGTERM; state was left consistent
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Options most commands take.
struct Common {
    bool json = false;
    std::string sysroot;
    int verbosity = 0;  // -v: info, --debug: debug, -q: errors only
};

// Adds --json, --sysroot, -v, --debug, -q, --help to a command's options.
void add_common(po::options_description &options, Common &common, bool with_sysroot = true);

// Parses args; returns false when --help was printed (the command then exits 0).
// Throws UsageError naming the bad option.
bool parse(const std::string &command, const std::string &synopsis, const std::string &description,
           po::options_description &options, const std::vector<std::string> &args, po::variables_map &vm,
           const po::positional_options_description *positional = nullptr);
void apply_verbosity(const Common &common);

// The version of every JSON document gpuhost prints (sdk/docs/CLI_JSON.md);
// raised when a field changes meaning or goes away, not when one is added.
constexpr int kJsonSchema = 1;

// `value` with "schema": kJsonSchema first, unless it already says which.
boost::json::object with_schema(boost::json::object value);

// Prints JSON for machines (pretty, one document on stdout); an object gets its "schema".
void print_json(const boost::json::value &value);

// A plain text table with aligned columns.
class Table {
public:
    explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    std::string render() const;

private:
    std::vector<std::vector<std::string>> rows_;
};

std::string human_bytes(double bytes);

// Backends are open: `known` is what the loaded plugins declare (and their
// records name); throws UsageError naming the flag when `value` is none of
// them (or "auto" where allowed).
void check_backend_flag(const std::string &command, const std::string &flag, const std::string &value,
                        const std::vector<std::string> &known, bool auto_allowed = false);

}  // namespace gpuhost::cli
