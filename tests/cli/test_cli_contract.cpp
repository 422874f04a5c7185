// The command line keeps its word: help, shared detection flags, usage errors
// that name the flag and its range, exit codes, and --json on failure too.
#include "core/files.hpp"
#include "plan/plan.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using test::contains;

namespace {

const std::string kInventory = std::string(GPUHOST_FIXTURES) + "/inventories/nvidia-multi-gpu-server.json";

// The probe plugins load whole drivers; these tests are about the command line.
std::map<std::string, std::string> quick() {
    return {{"GPUHOST_DISABLE_PLUGINS", "vulkan,opencl"}, {"XDG_DATA_HOME", "/nonexistent-gpuhost-data"}};
}

// Nothing a user reads may be the C++ library's own words.
void no_raw_cpp(const ProcessResult &r) {
    for (const char *raw : {"std::", "filesystem error", "max_size", "unrecognised option", "basic_string", "stoi"})
        BOOST_TEST(!contains(r.output + r.error_output, raw), raw << " in: " << r.error_output);
}

void usage_error_naming(const std::vector<std::string> &args, const std::vector<std::string> &parts) {
    auto r = test::run_gpuhost(args, quick());
    BOOST_TEST(r.exit_code == 2, args.front() << " " << args.back() << ": " << r.describe() << " " << r.error_output);
    for (const auto &p : parts) BOOST_TEST(contains(r.error_output, p), "\"" << p << "\" not in: " << r.error_output);
    no_raw_cpp(r);
}

// A plan file for runs that never get as far as installing.
fs::path write_plan(const test::TempDir &dir, const std::string &python_min = "", const std::string &python_max = "") {
    auto r = test::run_gpuhost({"plan", "lightweight", "--json", "--inventory", kInventory}, quick());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto plan = json::parse(r.output).as_object();
    if (!python_min.empty()) plan["python"] = json::object{{"min", python_min}, {"max", python_max}};
    dir.write("plan.json", json::serialize(plan));
    return dir / "plan.json";
}

}  // namespace

BOOST_AUTO_TEST_CASE(help_command_is_the_command_help) {
    for (const char *command : {"run", "plan", "detect", "completion"}) {
        auto via_help = test::run_gpuhost({"help", command});
        auto direct = test::run_gpuhost({command, "--help"});
        BOOST_TEST(via_help.exit_code == 0);
        BOOST_TEST(direct.exit_code == 0);
        BOOST_TEST(via_help.output == direct.output, command);
        BOOST_TEST(contains(via_help.output, std::string("usage: gpuhost ") + command));
    }
    auto unknown = test::run_gpuhost({"help", "nosuch"});
    BOOST_TEST(unknown.exit_code == 2);
    BOOST_TEST(contains(unknown.error_output, "unknown command \"nosuch\""));
}

BOOST_AUTO_TEST_CASE(every_command_that_detects_takes_the_detection_flags) {
    for (const char *command : {"detect", "select", "plan", "run", "recommend", "bench"}) {
        auto r = test::run_gpuhost({command, "--help"});
        for (const char *flag : {"--no-cache", "--in-process", "--timings"})
            BOOST_TEST(contains(r.output, flag), command << " --help lacks " << flag);
    }
    // And they work, not only parse: --timings reports the stages on stderr.
    auto plan = test::run_gpuhost({"plan", "lightweight", "--no-cache", "--timings", "--json"}, quick());
    BOOST_TEST(plan.exit_code == 0, plan.error_output);
    BOOST_TEST(contains(plan.error_output, "timings ("));
    auto recommend = test::run_gpuhost({"recommend", "--in-process", "--no-cache", "--json"}, quick());
    BOOST_TEST(recommend.exit_code == 0, recommend.error_output);
}

BOOST_AUTO_TEST_CASE(plan_device_index_reads_like_select) {
    auto inventory = read_json_file(kInventory).as_object();
    std::string third = std::string(inventory.at("devices").as_array().at(3).at("id").as_string());
    auto r = test::run_gpuhost({"plan", "nlp", "--json", "--device", "3", "--inventory", kInventory}, quick());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    BOOST_TEST(std::string(json::parse(r.output).at("device").as_string()) == third);
    auto none = test::run_gpuhost({"plan", "nlp", "--device", "99", "--inventory", kInventory}, quick());
    BOOST_TEST(none.exit_code == 4);
}

BOOST_AUTO_TEST_CASE(stray_words_and_out_of_range_values_are_usage_errors) {
    usage_error_naming({"detect", "extra"}, {"unexpected argument \"extra\""});
    usage_error_naming({"doctor", "now"}, {"unexpected argument \"now\""});
    usage_error_naming({"bench", "--size", "-1"}, {"--size", "from 1 to"});
    usage_error_naming({"bench", "--size", "99999999999999"}, {"--size", "from 1 to"});
    usage_error_naming({"bench", "--repeats", "0"}, {"--repeats", "from 1 to 1000"});
    usage_error_naming({"config", "set", "probe_timeout_ms", "-1"}, {"probe_timeout_ms", "from 1 to 600000"});
    usage_error_naming({"snapshot", "/proc/x"}, {"/proc/x", "cannot be made"});
    usage_error_naming({"run", "--installer", "conda"}, {"--installer", "auto, uv or pip"});
}

BOOST_AUTO_TEST_CASE(config_set_takes_a_negative_value_as_a_value) {
    test::TempDir home;
    std::map<std::string, std::string> env = {{"XDG_CONFIG_HOME", (home / "config").string()}};
    // "-5" reaches the key's own check (a number above 0) instead of the option parser.
    auto r = test::run_gpuhost({"config", "set", "cache_ttl_s", "-5"}, env);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(contains(r.error_output, "cache_ttl_s"));
    r = test::run_gpuhost({"config", "set", "cache_ttl_s", "120", "--json"}, env);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto doc = json::parse(r.output).as_object();
    BOOST_TEST(doc.at("schema").as_int64() == 1);
    BOOST_TEST(doc.at("key").as_string() == "cache_ttl_s");
    BOOST_TEST(doc.at("value").as_int64() == 120);
    BOOST_TEST(doc.at("effective").at("value").as_int64() == 120);
    r = test::run_gpuhost({"config", "get", "cache_ttl_s", "--json"}, env);
    BOOST_TEST(json::parse(r.output).at("value").as_int64() == 120);
}

BOOST_AUTO_TEST_CASE(folders_given_as_files_are_named) {
    auto explain = test::run_gpuhost({"explain", "/tmp"});
    BOOST_TEST(explain.exit_code == 3);
    BOOST_TEST(contains(explain.error_output, "/tmp: is a folder"), explain.error_output);
    auto run = test::run_gpuhost({"run", "--plan", "/tmp"});
    BOOST_TEST(run.exit_code == 3);
    BOOST_TEST(contains(run.error_output, "/tmp: is a folder"), run.error_output);
}

BOOST_AUTO_TEST_CASE(json_failures_are_one_document_on_stdout) {
    struct Case {
        std::vector<std::string> args;
        int code;
        const char *kind;
        const char *says;
    } cases[] = {
        {{"detect", "extra", "--json"}, 2, "usage", "unexpected argument"},
        {{"bench", "--repeats", "0", "--json"}, 2, "usage", "--repeats"},
        {{"explain", "/tmp", "--json"}, 3, "bad_input", "is a folder"},
        {{"plan", "nlp", "--device", "99", "--json", "--inventory", kInventory}, 4, "no_device", "--device 99"},
    };
    for (const auto &c : cases) {
        auto r = test::run_gpuhost(c.args, quick());
        BOOST_TEST(r.exit_code == c.code, c.args.front() << ": " << r.error_output);
        json::value doc;
        BOOST_REQUIRE_NO_THROW(doc = json::parse(r.output));
        const auto &error = doc.at("error").as_object();
        BOOST_TEST(doc.at("schema").as_int64() == 1);
        BOOST_TEST(error.at("exit_code").as_int64() == c.code);
        BOOST_TEST(error.at("kind").as_string() == c.kind);
        BOOST_TEST(contains(std::string(error.at("message").as_string()), c.says), error.at("message"));
        BOOST_TEST(contains(r.error_output, c.says), "stderr still says it");
    }
    // Without --json, stdout stays empty on failure.
    auto plain = test::run_gpuhost({"detect", "extra"});
    BOOST_TEST(plain.output.empty());
}

BOOST_AUTO_TEST_CASE(every_document_has_a_schema_and_plain_decimals) {
    for (const std::vector<std::string> &args :
         {std::vector<std::string>{"detect", "--json"}, {"plugins", "--json"}, {"config", "show", "--json"},
          {"plan", "--json", "--inventory", kInventory}, {"recommend", "--json", "--inventory", kInventory}}) {
        auto r = test::run_gpuhost(args, quick());
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, args.front() << ": " << r.error_output);
        auto doc = json::parse(r.output).as_object();
        BOOST_TEST(doc.at("schema").as_int64() == 1, args.front());
        // Boost's own double text is 2.7E0; gpuhost writes 2.7.
        BOOST_TEST((!contains(r.output, "E0") && !contains(r.output, "E-") && !contains(r.output, "E+")),
                   args.front() << " prints an exponent");
    }
    BOOST_TEST(plain_decimal(2.7) == "2.7");
    BOOST_TEST(plain_decimal(3.0) == "3.0");
    BOOST_TEST(plain_decimal(0.0001) == "0.0001");
    BOOST_TEST(plain_decimal(1.0 / 0.0) == "null");
    BOOST_TEST(json::parse(pretty_json(json::object{{"x", 2.7}})).at("x").as_double() == 2.7);
}

BOOST_AUTO_TEST_CASE(plan_files_carry_a_schema_and_old_ones_still_read) {
    auto r = test::run_gpuhost({"plan", "--json", "--inventory", kInventory}, quick());
    auto doc = json::parse(r.output).as_object();
    BOOST_TEST(doc.at("schema").as_int64() == kPlanSchema);
    doc.erase("schema");  // as written before plans had versions
    BOOST_TEST(Plan::from_json(doc).profile == "vector_search");
    doc["schema"] = kPlanSchema + 1;
    try {
        Plan::from_json(doc);
        BOOST_FAIL("a plan from a newer gpuhost was read");
    } catch (const std::runtime_error &e) {
        BOOST_TEST(contains(e.what(), "newer gpuhost"), e.what());
    }
}

BOOST_AUTO_TEST_CASE(profile_with_an_empty_python_range_is_rejected_when_read) {
    test::TempDir dir;
    dir.write("scripts/profiles/impossible.lua",
              "return { name = \"impossible\", framework = \"onnxruntime\", packages = { \"numpy\" },\n"
              "  python = { min = \"3.16\", max = \"3.13\" } }\n");
    auto r = test::run_gpuhost({"plan", (dir / "scripts/profiles/impossible.lua").string(), "--inventory", kInventory},
                               quick());
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(contains(r.error_output, "python.min 3.16 is above python.max 3.13"), r.error_output);
}

BOOST_AUTO_TEST_CASE(run_refusing_a_foreign_folder_leaves_no_lock) {
    test::TempDir dir;
    auto plan = write_plan(dir);
    dir.write("mine/notes.txt", "not an environment");
    auto r = test::run_gpuhost({"run", "--plan", plan.string(), "--env", (dir / "mine").string(), "--installer", "pip"},
                               quick());
    BOOST_TEST(r.exit_code == 3, r.error_output);
    BOOST_TEST(contains(r.error_output, "is no virtual environment"));
    BOOST_TEST(!fs::exists(dir / "mine" / ".gpuhost.lock"));
}

BOOST_AUTO_TEST_CASE(missing_tools_are_failures_not_broken_files) {
    test::TempDir dir;
    auto plan = write_plan(dir);
    // uv asked for, with a PATH that has python but no uv.
    auto env = quick();
    env["PATH"] = "/usr/bin:/bin";
    BOOST_REQUIRE(!fs::exists("/usr/bin/uv") && !fs::exists("/bin/uv"));
    auto uv = test::run_gpuhost({"run", "--plan", plan.string(), "--env", (dir / "a").string(), "--installer", "uv"}, env);
    BOOST_TEST(uv.exit_code == 1, uv.error_output);
    BOOST_TEST(contains(uv.error_output, "uv was asked for but is not on PATH"));
    // No interpreter in the plan's range.
    auto far = write_plan(dir, "3.98", "3.99");
    auto py = test::run_gpuhost({"run", "--plan", far.string(), "--env", (dir / "b").string(), "--installer", "pip"},
                                quick());
    BOOST_TEST(py.exit_code == 1, py.error_output);
    BOOST_TEST(contains(py.error_output, "no interpreter in 3.98..3.99"));
}
