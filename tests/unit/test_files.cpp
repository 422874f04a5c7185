// A file that cannot be written is a WriteError (the job failed), never a
// FileError (which the CLI reports as bad input); its message names the file
// and the system's reason.
#include "core/files.hpp"
#include "support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace gpuhost;

BOOST_AUTO_TEST_CASE(a_failed_write_is_a_write_error_naming_file_and_reason) {
    test::TempDir tmp;
    tmp.write("state.json/occupied", "x");  // the target is a folder with a file in it: rename fails
    std::string what;
    bool as_file_error = false;
    try {
        write_file_atomic(tmp / "state.json", "{}");
    } catch (const FileError &) {
        as_file_error = true;
    } catch (const WriteError &e) {
        what = e.what();
    }
    BOOST_TEST(!as_file_error);
    BOOST_TEST(what.find((tmp / "state.json").string()) == 0, what);
    BOOST_TEST(what.find("rename failed (Is a directory)") != std::string::npos, what);
}

BOOST_AUTO_TEST_CASE(a_folder_that_cannot_be_made_is_a_write_error) {
    test::TempDir tmp;
    tmp.write("blocker", "a file where a folder should be");
    BOOST_CHECK_THROW(write_file_atomic(tmp / "blocker" / "sub" / "state.json", "{}"), WriteError);
}

BOOST_AUTO_TEST_CASE(a_good_write_replaces_the_file) {
    test::TempDir tmp;
    write_file_atomic(tmp / "a" / "state.json", "one");
    write_file_atomic(tmp / "a" / "state.json", "two");
    BOOST_TEST(read_text(tmp / "a" / "state.json").value_or("") == "two");
}
