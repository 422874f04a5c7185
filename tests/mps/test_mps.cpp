// The mps plugin: a Mac recording replayed on Linux through the real CLI, the
// macOS tool parsers against good, malformed and truncated text, and the live
// answer on a non-Mac.
#include "macos_parsers.hpp"
#include "support/expected_devices.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;

namespace {

fs::path m3() { return fs::path(GPUHOST_FIXTURES) / "machines" / "apple-m-series"; }

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The M3 recording plus extra tool outputs, in a fresh sysroot.
void copy_m3(const test::TempDir &root) {
    root.write("tools/system_profiler_SPDisplaysDataType.txt", slurp(m3() / "tools/system_profiler_SPDisplaysDataType.txt"));
}

json::object apple_device(const json::object &inv) {
    for (const auto &d : inv.at("devices").as_array())
        if (d.at("vendor") == "apple") return d.as_object();
    BOOST_FAIL("no apple device");
    return {};
}

// Key names as macOS writes them in `system_profiler SPDisplaysDataType -json`.
const char *kJson = R"({"SPDisplaysDataType":[{"_name":"Apple M2","sppci_model":"Apple M2","sppci_cores":"10",
  "sppci_bus":"spdisplays_builtin","sppci_device_type":"spdisplays_gpu","spdisplays_vendor":"sppci_vendor_Apple",
  "spdisplays_mtlgpufamilysupport":"spdisplays_metal3","spdisplays_ndrvs":[{"_name":"Color LCD"}]}]})";

}  // namespace

BOOST_AUTO_TEST_CASE(m3_recording_replays_on_linux) { test::check_fixture("apple-m-series", {"apple"}); }

BOOST_AUTO_TEST_CASE(m3_record_details) {
    auto d = apple_device(test::detect_sysroot(m3()));
    BOOST_TEST(d.at("architecture") == "apple-m3");
    BOOST_TEST(d.at("backend") == "mps");
    BOOST_TEST(d.at("runtime").at("name") == "metal");
    BOOST_TEST(d.at("runtime").at("version") == "3");
    BOOST_TEST(d.at("details").at("gpu_cores").to_number<int>() == 10);
}

BOOST_AUTO_TEST_CASE(sysctl_gives_unified_memory_and_old_macos_is_the_reason) {
    test::TempDir root;
    copy_m3(root);
    root.write("tools/sysctl_-a.txt", "hw.ncpu: 8\nhw.memsize: 17179869184\nmachdep.cpu.brand_string: Apple M3\n");
    root.write("tools/sw_vers.txt", "ProductName:\tmacOS\nProductVersion:\t14.4.1\nBuildVersion:\t23E224\n");
    auto ok = apple_device(test::detect_sysroot(root.path()));
    BOOST_TEST(ok.at("memory").at("total_bytes").to_number<std::uint64_t>() == 17179869184ull);
    BOOST_TEST(ok.at("memory").at("shared_bytes").to_number<std::uint64_t>() == 17179869184ull);
    BOOST_TEST(ok.at("usable").as_bool());
    BOOST_TEST(ok.at("details").at("macos_version") == "14.4.1");

    root.write("tools/sw_vers.txt", "ProductName:\tmacOS\nProductVersion:\t12.2\n");
    auto old = apple_device(test::detect_sysroot(root.path()));
    BOOST_TEST(!old.at("usable").as_bool());
    BOOST_TEST(std::string(old.at("reason").as_string()).find("macOS 12.3 or later") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_output_is_preferred_and_parsed) {
    auto gpus = mps::parse_displays_json(kJson);
    BOOST_REQUIRE(gpus.size() == 1u);
    BOOST_TEST(gpus[0].model == "Apple M2");
    BOOST_TEST(gpus[0].vendor == "apple");
    BOOST_TEST(gpus[0].bus == "Built-In");
    BOOST_TEST(gpus[0].metal_support == "Metal 3");
    BOOST_TEST(*gpus[0].cores == 10u);
    test::TempDir root;
    copy_m3(root);
    root.write("tools/system_profiler_SPDisplaysDataType_-json.txt", kJson);
    BOOST_TEST(apple_device(test::detect_sysroot(root.path())).at("name") == "Apple M2");
}

BOOST_AUTO_TEST_CASE(malformed_and_truncated_input_throws_clearly) {
    std::string text = slurp(m3() / "tools/system_profiler_SPDisplaysDataType.txt");
    auto full = mps::parse_displays_text(text);
    BOOST_REQUIRE(full.size() == 1u);  // the displays block is not a second GPU
    BOOST_TEST(full[0].model == "Apple M3");
    auto cut = mps::parse_displays_text(text.substr(0, text.find("Vendor")));  // cut before Metal Support
    BOOST_TEST(cut[0].metal_support.empty());
    BOOST_TEST(*cut[0].cores == 10u);
    BOOST_CHECK_THROW(mps::parse_displays_text(""), std::runtime_error);
    BOOST_CHECK_THROW(mps::parse_displays_text("Graphics/Displays:\n\n"), std::runtime_error);
    BOOST_CHECK_THROW(mps::parse_displays_text("Hardware:\n  Model: Mac\n"), std::runtime_error);
    // JSON cut short gives what it holds: the GPU's name was complete at 60 bytes,
    // not yet at 30.
    auto cut_json = mps::parse_displays_json(std::string(kJson).substr(0, 60));
    BOOST_REQUIRE_EQUAL(cut_json.size(), 1u);
    BOOST_TEST(cut_json[0].model == "Apple M2");
    BOOST_CHECK_THROW(mps::parse_displays_json(std::string(kJson).substr(0, 30)), std::runtime_error);
    BOOST_CHECK_THROW(mps::parse_displays_json("not json at all"), std::runtime_error);
    BOOST_CHECK_THROW(mps::parse_displays_json("{\"SPHardwareDataType\": []}"), std::runtime_error);
    BOOST_CHECK_THROW(mps::parse_displays_json("[]"), std::runtime_error);
    BOOST_CHECK_THROW(mps::parse_sw_vers("ProductName: macOS\n"), std::runtime_error);
    BOOST_CHECK_THROW(mps::parse_sw_vers("ProductVersion: beta\n"), std::runtime_error);
    auto v = mps::parse_sw_vers("ProductVersion:\t13\n");
    BOOST_TEST(v.at_least(12, 3));
    BOOST_TEST(!mps::parse_sw_vers("ProductVersion: 12.2.1").at_least(12, 3));
    auto sysctl = mps::parse_sysctl("hw.memsize: 8589934592\nkern.ostype = Darwin\nbroken line\n");
    BOOST_TEST(sysctl.at("hw.memsize") == "8589934592");
    BOOST_TEST(sysctl.at("kern.ostype") == "Darwin");
    BOOST_TEST(mps::apple_architecture("Apple M1 Pro") == "apple-m1");
    BOOST_TEST(mps::apple_architecture("AMD Radeon Pro 5500M").empty());
}

BOOST_AUTO_TEST_CASE(every_truncation_parses_or_throws_a_runtime_error) {
    std::string text = slurp(m3() / "tools/system_profiler_SPDisplaysDataType.txt");
    std::string json_text = kJson;
    int parsed = 0, refused = 0;
    for (const std::string *t : {&text, &json_text})
        for (size_t n = 0; n <= t->size(); n += 7) {
            try {
                auto gpus = t == &text ? mps::parse_displays_text(t->substr(0, n)) : mps::parse_displays_json(t->substr(0, n));
                BOOST_TEST(!gpus.empty());
                ++parsed;
            } catch (const std::runtime_error &e) {
                BOOST_TEST(std::string(e.what()).find("system_profiler") != std::string::npos, e.what());
                ++refused;
            }
        }
    BOOST_TEST(parsed > 0);
    BOOST_TEST(refused > 0);
}

BOOST_AUTO_TEST_CASE(broken_recording_is_a_note_and_sysctl_garbage_is_survived) {
    test::TempDir root;
    root.write("tools/system_profiler_SPDisplaysDataType.txt", "Graphics/Displays:\n");
    auto r = test::run_gpuhost({"detect", "--json", "--sysroot", root.path().string()});
    BOOST_REQUIRE(r.ok());
    auto inv = json::parse(r.output).as_object();
    for (const auto &p : inv.at("plugins").as_array())
        if (p.at("plugin") == "mps") {
            BOOST_TEST(p.at("status") == "absent");
            std::string notes = json::serialize(p.at("notes"));
            BOOST_TEST(notes.find("lists no GPU") != std::string::npos, notes);
        }
    copy_m3(root);
    root.write("tools/sysctl_-a.txt", "hw.memsize: lots\n");
    auto d = apple_device(test::detect_sysroot(root.path()));
    BOOST_TEST(!d.at("memory").as_object().contains("total_bytes"));
}

#ifndef __APPLE__
BOOST_AUTO_TEST_CASE(live_on_linux_is_unsupported_platform) {
    auto r = test::run_gpuhost({"detect", "--json"}, {test::only_real_plugins({"cpu", "mps"})});
    BOOST_REQUIRE(r.ok());
    bool seen = false;
    auto inv = json::parse(r.output);
    for (const auto &p : inv.at("plugins").as_array())
        if (p.at("plugin") == "mps") {
            seen = true;
            BOOST_TEST(p.at("status") == "unsupported_platform");
        }
    BOOST_TEST(seen);
}
#endif
