// Recreate without loss (issue 13, item 11): the old environment set aside,
// put back, or dropped, from every state an interruption can leave.
#include "env/previous_env.hpp"
#include "support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>

using namespace gpuhost;
namespace fs = std::filesystem;

namespace {

const std::set<std::string> kKeep = {".gpuhost.lock", "gpuhost-logs", ".gpuhost-env"};

void file(const fs::path &p, const std::string &text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}
std::string text(const fs::path &p) {
    std::ifstream f(p);
    return std::string((std::istreambuf_iterator<char>(f)), {});
}
// An environment folder as gpuhost leaves it: kept files and a venv made by `which`.
void venv(const fs::path &env, const std::string &which) {
    file(env / "pyvenv.cfg", which);
    file(env / "bin" / "python", which);
    file(env / "lib" / "site.py", which);
    file(env / "environment_state.json", which);
}
void kept(const fs::path &env) {
    file(env / ".gpuhost.lock", "");
    file(env / ".gpuhost-env", "marker");
    file(env / "gpuhost-logs" / "1.log", "log");
}
size_t count(const fs::path &dir) { return size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator())); }

}  // namespace

BOOST_AUTO_TEST_SUITE(previous_env)

BOOST_AUTO_TEST_CASE(set_aside_then_restore_gives_back_the_old_one) {
    test::TempDir env;
    kept(env.path());
    venv(env.path(), "old");
    env::set_aside(env.path(), kKeep);
    BOOST_TEST(env::has_previous(env.path()));
    BOOST_TEST(env::previous_complete(env.path()));
    BOOST_TEST(!fs::exists(env / "pyvenv.cfg"));
    BOOST_TEST(fs::exists(env / ".gpuhost-env"));  // kept in place
    venv(env.path(), "new, half made");
    BOOST_TEST(env::restore_previous(env.path(), kKeep));
    BOOST_TEST(text(env / "bin" / "python") == "old");
    BOOST_TEST(text(env / "environment_state.json") == "old");
    BOOST_TEST(!env::has_previous(env.path()));
    BOOST_TEST(text(env / "gpuhost-logs" / "1.log") == "log");
    BOOST_TEST(!env::restore_previous(env.path(), kKeep));  // nothing aside: nothing done
}

BOOST_AUTO_TEST_CASE(drop_keeps_the_new_one) {
    test::TempDir env;
    kept(env.path());
    venv(env.path(), "old");
    env::set_aside(env.path(), kKeep);
    venv(env.path(), "new");
    env::drop_previous(env.path());
    BOOST_TEST(text(env / "bin" / "python") == "new");
    BOOST_TEST(count(env.path()) == 7u);  // pyvenv.cfg, bin, lib, the state; the lock, marker and logs
    env::drop_previous(env.path());         // again: nothing happens
    BOOST_TEST(text(env / "pyvenv.cfg") == "new");
}

// Killed while moving aside: no .complete mark, so what is in ENV is old and stays.
BOOST_AUTO_TEST_CASE(a_cut_short_set_aside_is_undone_without_loss) {
    test::TempDir env;
    kept(env.path());
    venv(env.path(), "old");
    fs::create_directory(env / ".gpuhost-previous");
    fs::rename(env / "bin", env / ".gpuhost-previous" / "bin");  // one entry had moved
    BOOST_TEST(env::has_previous(env.path()));
    BOOST_TEST(!env::previous_complete(env.path()));
    BOOST_TEST(env::restore_previous(env.path(), kKeep));
    for (const char *p : {"pyvenv.cfg", "bin/python", "lib/site.py", "environment_state.json"})
        BOOST_TEST(text(env / p) == "old", p);
}

// Killed while moving back: .restoring, so entries already back are old and stay.
BOOST_AUTO_TEST_CASE(a_cut_short_restore_finishes_on_the_next_try) {
    test::TempDir env;
    kept(env.path());
    venv(env.path(), "old");
    env::set_aside(env.path(), kKeep);
    venv(env.path(), "new");
    // Simulate a restore that removed the new one, marked .restoring and moved one entry back.
    for (const char *p : {"pyvenv.cfg", "bin", "lib", "environment_state.json"}) fs::remove_all(env / p);
    fs::rename(env / ".gpuhost-previous" / ".complete", env / ".gpuhost-previous" / ".restoring");
    fs::rename(env / ".gpuhost-previous" / "bin", env / "bin");
    BOOST_TEST(env::restore_previous(env.path(), kKeep));
    for (const char *p : {"pyvenv.cfg", "bin/python", "lib/site.py", "environment_state.json"})
        BOOST_TEST(text(env / p) == "old", p);
    BOOST_TEST(!env::has_previous(env.path()));
}

// Killed while deleting the dropped one: its new name says it is garbage, never an environment set aside.
BOOST_AUTO_TEST_CASE(a_cut_short_drop_is_finished_by_the_next_drop) {
    test::TempDir env;
    kept(env.path());
    venv(env.path(), "new");
    file(env / ".gpuhost-discard-123-456" / "lib" / "x", "old leftovers");
    BOOST_TEST(!env::has_previous(env.path()));
    BOOST_TEST(env::is_swap_entry(".gpuhost-discard-123-456"));
    env::drop_previous(env.path());
    BOOST_TEST(!fs::exists(env / ".gpuhost-discard-123-456"));
    BOOST_TEST(text(env / "pyvenv.cfg") == "new");
}

BOOST_AUTO_TEST_SUITE_END()
