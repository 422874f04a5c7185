// The config layer as code: value parsing and checks per type, file validation,
// and finding the project file.
#include "core/files.hpp"
#include "policy/config.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using test::TempDir;

using gpuhost::test::contains;

namespace {
std::string error_of(const ConfigKey &key, const std::string &text) {
    try {
        parse_config_text(key, text);
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return "";
}
}  // namespace

BOOST_AUTO_TEST_CASE(text_values_become_the_keys_type) {
    const ConfigKey flag{"auto_thing", ConfigType::boolean, "false", "a yes/no setting"};
    BOOST_TEST(parse_config_text(flag, "yes") == json::value(true));
    BOOST_TEST(parse_config_text(flag, "0") == json::value(false));
    BOOST_TEST(error_of(flag, "maybe") == "auto_thing must be true or false, not \"maybe\"");

    const ConfigKey &timeout = *find_config_key("probe_timeout_ms");
    BOOST_TEST(parse_config_text(timeout, "250") == json::value(250));
    BOOST_TEST(error_of(timeout, "250ms") == "probe_timeout_ms must be an integer, not \"250ms\"");
    BOOST_TEST(error_of(timeout, "0") ==
               "probe_timeout_ms must be a number of milliseconds from 1 to 600000 (10 minutes), not 0");

    const ConfigKey &priority = *find_config_key("backend_priority");
    BOOST_TEST(parse_config_text(priority, " rocm ,cpu,") == json::parse(R"(["rocm","cpu"])"));
    BOOST_TEST(contains(error_of(priority, "rocm,Not A Backend"), "must be a list of backend names"));
    BOOST_TEST(config_env_name("backend_priority") == "GPUHOST_BACKEND_PRIORITY");
    BOOST_TEST(find_config_key("no_such_key") == nullptr);
}

BOOST_AUTO_TEST_CASE(every_default_passes_its_own_check) {
    for (const auto &k : config_keys()) BOOST_TEST(check_config_value(k, json::parse(k.default_json)).empty(), k.name);
}

BOOST_AUTO_TEST_CASE(a_hand_edited_file_is_checked_key_by_key) {
    TempDir dir;
    dir.write("ok.json", R"({"device": "cuda:1", "cache_ttl_s": 60})");
    BOOST_TEST(read_config_file(dir / "ok.json").at("cache_ttl_s") == 60);
    BOOST_TEST(read_config_file(dir / "missing.json").empty());
    auto error = [&](const std::string &text) {
        dir.write("bad.json", text);
        try {
            read_config_file(dir / "bad.json");
        } catch (const FileError &e) {
            return std::string(e.what());
        }
        return std::string();
    };
    std::string file = (dir / "bad.json").string();
    BOOST_TEST(error(R"({"device": 1})") == file + ": key \"device\" must be a string, not 1");
    BOOST_TEST(contains(error(R"({"devise": "1"})"), file + ": unknown key \"devise\" (known: preferred_backend,"));
    BOOST_TEST(error(R"(["device"])") == file + ": must hold a JSON object of settings");
    BOOST_TEST(contains(error(R"({"device": )"), file));
    // Timeouts in seconds are ints: a value that would wrap is refused, naming file and key.
    BOOST_TEST(error(R"({"lock_timeout_s": 4294967296})") ==
               file + ": key \"lock_timeout_s\" must be a number of seconds from 1 to 604800 (a week), not 4294967296");
    BOOST_TEST(contains(error(R"({"install_timeout_s": 604801})"), file + ": key \"install_timeout_s\" must be"));
    BOOST_TEST(contains(error(R"({"install_timeout_s": 0})"), "from 1 to 604800"));
    dir.write("week.json", R"({"install_timeout_s": 604800, "lock_timeout_s": 1})");
    BOOST_TEST(read_config_file(dir / "week.json").at("install_timeout_s") == 604800);
}

BOOST_AUTO_TEST_CASE(the_project_file_is_the_nearest_one_above) {
    TempDir dir;
    dir.write("a/gpuhost.json", "{}");
    dir.write("a/b/gpuhost.json", "{}");
    fs::create_directories(dir / "a/b/c/d");
    BOOST_TEST(project_config_file(dir / "a/b/c/d").value() == dir / "a/b/gpuhost.json");
    BOOST_TEST(project_config_file(dir / "a").value() == dir / "a/gpuhost.json");
}
