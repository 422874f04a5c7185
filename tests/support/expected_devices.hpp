// Replays a recorded machine through the real CLI and compares the result with
// its expected.json (format in tests/fixtures/README.md).
#pragma once
#include "support/run_gpuhost.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace gpuhost::test {

inline boost::json::object detect_sysroot(const std::filesystem::path &dir,
                                          std::map<std::string, std::string> env = {}) {
    auto result = run_gpuhost({"detect", "--json", "--sysroot", dir.string()}, std::move(env));
    BOOST_REQUIRE_MESSAGE(result.ok(), result.describe() + ": " + result.error_output);
    return boost::json::parse(result.output).as_object();
}

inline boost::json::object read_json_object(const std::filesystem::path &file) {
    std::ifstream in(file);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " + file.string());
    std::stringstream s;
    s << in.rdbuf();
    return boost::json::parse(s.str()).as_object();
}

// Every mismatch between the inventory's devices of `vendors` and the expected
// ones, as readable lines; empty when they agree.
inline std::vector<std::string> compare_with_expected(const boost::json::object &inventory,
                                                      const boost::json::object &expected,
                                                      const std::set<std::string> &vendors) {
    namespace json = boost::json;
    auto str = [](const json::object &o, const char *k) {
        auto it = o.find(k);
        return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
    };
    std::vector<const json::object *> actual;
    for (const auto &d : inventory.at("devices").as_array())
        if (vendors.count(str(d.as_object(), "vendor"))) actual.push_back(&d.as_object());
    std::vector<const json::object *> wanted;
    for (const auto &d : expected.at("devices").as_array())
        if (vendors.count(str(d.as_object(), "vendor"))) wanted.push_back(&d.as_object());
    std::vector<std::string> problems;
    if (actual.size() != wanted.size())
        problems.push_back("expected " + std::to_string(wanted.size()) + " devices, got " + std::to_string(actual.size()));
    std::vector<bool> used(actual.size(), false);
    for (const auto *w : wanted) {
        std::string bus = str(*w, "pci_bus_id"), name = str(*w, "name");
        int pick = -1;
        for (size_t i = 0; i < actual.size() && pick < 0; ++i) {
            if (used[i] || str(*actual[i], "vendor") != str(*w, "vendor")) continue;
            std::string abus;
            if (auto p = actual[i]->find("pci"); p != actual[i]->end()) abus = str(p->value().as_object(), "bus_id");
            if (!bus.empty() ? abus == bus : name.empty() || str(*actual[i], "name") == name) pick = static_cast<int>(i);
        }
        std::string label = str(*w, "vendor") + " " + (bus.empty() ? name : bus);
        if (pick < 0) {
            problems.push_back(label + ": no such device detected");
            continue;
        }
        used[pick] = true;
        const json::object &a = *actual[pick];
        for (const char *k : {"name", "type", "architecture", "driver_version"})
            if (w->contains(k) && str(a, k) != str(*w, k))
                problems.push_back(label + ": " + k + " is \"" + str(a, k) + "\", expected \"" + str(*w, k) + "\"");
        if (w->contains("runtime_version")) {
            std::string v = a.contains("runtime") ? str(a.at("runtime").as_object(), "version") : "";
            if (v != str(*w, "runtime_version")) problems.push_back(label + ": runtime version is \"" + v + "\"");
        }
        if (w->contains("memory_total_mib")) {
            const auto &m = a.at("memory").as_object();
            std::int64_t mib = m.contains("total_bytes") ? m.at("total_bytes").to_number<std::int64_t>() / (1 << 20) : -1;
            if (mib != w->at("memory_total_mib").to_number<std::int64_t>())
                problems.push_back(label + ": memory is " + std::to_string(mib) + " MiB, expected " +
                                   std::to_string(w->at("memory_total_mib").to_number<std::int64_t>()));
        }
        if (w->contains("usable") && a.at("usable").as_bool() != w->at("usable").as_bool())
            problems.push_back(label + ": usable is " + (a.at("usable").as_bool() ? "true" : "false") +
                               (a.contains("reason") ? " (" + str(a, "reason") + ")" : std::string()));
        if (w->contains("reason_contains") && str(a, "reason").find(str(*w, "reason_contains")) == std::string::npos)
            problems.push_back(label + ": reason \"" + str(a, "reason") + "\" lacks \"" + str(*w, "reason_contains") + "\"");
    }
    return problems;
}

// Replays a fixture machine and checks it against its expected.json.
inline void check_fixture(const std::string &machine, const std::set<std::string> &vendors) {
    auto dir = std::filesystem::path(GPUHOST_FIXTURES) / "machines" / machine;
    auto problems = compare_with_expected(detect_sysroot(dir), read_json_object(dir / "expected.json"), vendors);
    std::string all;
    for (const auto &p : problems) all += "\n  " + p;
    BOOST_TEST(problems.empty(), machine << ":" << all);
}

}  // namespace gpuhost::test
