// RECORD checks (host/env/installed_files): a file deleted, truncated or
// replaced in place is found by stat alone; quoted CSV paths read right; a
// RECORD naming files outside the environment makes nothing outside looked at.
#include "env/installed_files.hpp"
#include "env/requirements.hpp"
#include "support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
using namespace gpuhost::env;
using gpuhost::test::TempDir;

namespace {

// ENV/lib/python3.12/site-packages with one distribution "demo" 1.0.
struct Installed {
    TempDir env;
    fs::path sp = env / "lib/python3.12/site-packages";
    fs::path info = sp / "demo-1.0.dist-info";
    Installed(const std::string &record) {
        env.write("lib/python3.12/site-packages/demo/__init__.py", "x = 1\n");           // 6 bytes
        env.write("lib/python3.12/site-packages/demo/core,fast.py", "y = 22\n");         // 7 bytes
        env.write("bin/demo-tool", "#!/bin/sh\n");                                        // 10 bytes
        env.write("lib/python3.12/site-packages/demo-1.0.dist-info/RECORD", record);
    }
};

const std::string kRecord =
    "demo/__init__.py,sha256=abc,6\n"
    "\"demo/core,fast.py\",sha256=def,7\n"
    "../../../bin/demo-tool,sha256=ghi,10\n"
    "demo/__pycache__/__init__.cpython-312.pyc,,\n"
    "demo-1.0.dist-info/RECORD,,\n";

}  // namespace

BOOST_AUTO_TEST_CASE(an_intact_distribution_passes_and_every_sized_file_is_compared) {
    Installed d(kRecord);
    auto dists = scan_installed_dists(d.sp);
    BOOST_REQUIRE(dists.count("demo"));
    BOOST_TEST(dists["demo"].version == "1.0");
    auto check = check_record(dists["demo"].folder, d.sp, d.env.path());
    BOOST_TEST(check.has_record);
    BOOST_TEST(check.checked == 3u);  // the two modules and the script; the .pyc and RECORD carry no size
    BOOST_TEST(check.damaged.empty());
}

BOOST_AUTO_TEST_CASE(missing_truncated_and_replaced_files_are_named) {
    Installed d(kRecord);
    fs::remove(d.sp / "demo/__init__.py");
    d.env.write("lib/python3.12/site-packages/demo/core,fast.py", "");
    fs::remove(d.env / "bin/demo-tool");
    fs::create_directory(d.env / "bin/demo-tool");
    auto check = check_record(d.info, d.sp, d.env.path());
    BOOST_REQUIRE(check.damaged.size() == 3u);
    BOOST_TEST(check.damaged[0] == "demo/__init__.py: missing");
    BOOST_TEST(check.damaged[1] == "demo/core,fast.py: 0 bytes, RECORD says 7");
    BOOST_TEST(check.damaged[2] == "../../../bin/demo-tool: not a regular file");
}

BOOST_AUTO_TEST_CASE(many_damaged_files_are_summed_up) {
    std::string record;
    for (int i = 0; i < 10; ++i) record += "demo/gone" + std::to_string(i) + ".py,sha256=x,5\n";
    Installed d(record);
    auto check = check_record(d.info, d.sp, d.env.path());
    BOOST_REQUIRE(check.damaged.size() == 4u);
    BOOST_TEST(check.damaged.back() == "and 7 more");
}

BOOST_AUTO_TEST_CASE(a_record_pointing_outside_the_environment_is_not_followed) {
    TempDir outside;
    outside.write("secret", "12345");
    Installed d("../../../../../../../../../../../../" + fs::relative(outside / "secret", "/").string() +
                ",sha256=x,1\n/etc/hostname,sha256=x,1\ndemo/__init__.py,sha256=abc,6\n");
    auto check = check_record(d.info, d.sp, d.env.path());
    BOOST_TEST(check.checked == 1u);  // only the file inside the environment
    BOOST_TEST(check.damaged.empty());
}

BOOST_AUTO_TEST_CASE(no_record_means_nothing_to_check_and_bad_lines_are_skipped) {
    Installed d("");
    fs::remove(d.info / "RECORD");
    auto none = check_record(d.info, d.sp, d.env.path());
    BOOST_TEST(!none.has_record);
    BOOST_TEST(none.damaged.empty());

    std::string path;
    long long size = 0;
    BOOST_TEST(parse_record_line("a/b.py,sha256=x,12", path, size));
    BOOST_TEST(path == "a/b.py");
    BOOST_TEST(size == 12);
    BOOST_TEST(parse_record_line("\"a \"\"q\"\",b.py\",sha256=x,3\r", path, size));
    BOOST_TEST(path == "a \"q\",b.py");
    BOOST_TEST(size == 3);
    BOOST_TEST(!parse_record_line("\"unterminated,sha256=x,3", path, size));
    BOOST_TEST(!parse_record_line("no commas at all", path, size));
    BOOST_TEST(!parse_record_line("a.py,sha256=x,12x", path, size));
    BOOST_TEST(!parse_record_line("a.py,sha256=x,99999999999999999999", path, size));
}
