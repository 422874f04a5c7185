// Index routing (issue 11) without a network: which requirement goes to which
// index, the installer's argument lists per step, the companions read from
// installed METADATA, and the plan fields' boundary checks.
#include "env/dist_metadata.hpp"
#include "env/index_routing.hpp"
#include "env/installer.hpp"
#include "env/resolve.hpp"
#include "plan/plan.hpp"
#include "support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <fstream>

using namespace gpuhost;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

Plan routed_plan() {
    Plan p;
    p.profile = "nlp";
    p.device_id = "rocm:0";
    p.backend = "rocm";
    p.accelerator = "rocm6.4";
    p.index_url = "https://download.pytorch.org/whl/rocm6.4";
    p.index_packages = {"torch", "torchvision", "torchaudio", "pytorch-triton-rocm"};
    p.index_label = "rocm6.4";
    p.packages = {"torch==2.9.0", "torchvision==0.24.0", "transformers", "numpy>=1.26"};
    return p;
}

bool contains(const std::vector<std::string> &v, const std::string &x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void write_dist(const fs::path &site, const std::string &dir, const std::string &metadata) {
    fs::create_directories(site / dir);
    std::ofstream(site / dir / "METADATA") << metadata;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(index_routing)

BOOST_AUTO_TEST_CASE(torch_family_goes_to_its_index_and_the_rest_to_the_default) {
    auto r = env::route(routed_plan(), routed_plan().packages);
    BOOST_TEST(r.from_index == (std::vector<std::string>{"torch==2.9.0", "torchvision==0.24.0"}));
    BOOST_TEST(r.from_default == (std::vector<std::string>{"transformers", "numpy>=1.26"}));
    // Any spelling of a served name is served.
    BOOST_TEST(env::served_by_index(routed_plan(), "PyTorch_Triton.ROCm"));
    BOOST_TEST(!env::served_by_index(routed_plan(), "transformers"));
}

BOOST_AUTO_TEST_CASE(a_plan_without_index_packages_is_not_routed) {
    Plan p = routed_plan();
    p.index_packages.clear();  // written before routing: everything went to index_url
    BOOST_TEST(!env::routes_by_index(p));
    env::InstallOptions o;
    o.tool = "pip";
    auto args = env::install_arguments("/e", p, {"numpy"}, false, o);
    BOOST_TEST(contains(args, p.index_url));
}

BOOST_AUTO_TEST_CASE(the_label_pins_only_the_torch_family_exactly) {
    Plan p = routed_plan();
    BOOST_TEST(env::with_index_label(p, "torch==2.9.0") == "torch==2.9.0+rocm6.4");
    BOOST_TEST(env::with_index_label(p, "torchvision==0.24.0") == "torchvision==0.24.0+rocm6.4");
    BOOST_TEST(env::with_index_label(p, "torch>=2.0") == "torch>=2.0");            // not an exact pin
    BOOST_TEST(env::with_index_label(p, "torch==2.9.0+cu126") == "torch==2.9.0+cu126");  // labelled already
    BOOST_TEST(env::with_index_label(p, "transformers==4.0") == "transformers==4.0");
    p.index_label.clear();  // macOS builds carry none
    BOOST_TEST(env::with_index_label(p, "torch==2.9.0") == "torch==2.9.0");
}

BOOST_AUTO_TEST_CASE(accelerator_steps_ask_only_the_accelerator_index_without_dependencies) {
    Plan p = routed_plan();
    p.default_index_url = "https://mirror.example/simple";
    for (const char *tool : {"pip", "uv"}) {
        env::InstallOptions o;
        o.tool = tool;
        o.uv = "uv";
        auto a = env::install_arguments("/e", p, {"torch==2.9.0"}, false, o, env::IndexChoice::accelerator_index, true);
        BOOST_TEST(contains(a, "--no-deps"), tool);
        BOOST_TEST(contains(a, p.index_url), tool);
        BOOST_TEST(!contains(a, p.default_index_url), tool);
        auto b = env::install_arguments("/e", p, {"transformers"}, false, o);
        BOOST_TEST(!contains(b, "--no-deps"), tool);
        BOOST_TEST(!contains(b, p.index_url), tool);
        BOOST_TEST(contains(b, p.default_index_url), tool);
        // No default index set: pip's and uv's own configuration decides (nothing passed).
        p.default_index_url.clear();
        auto c = env::install_arguments("/e", p, {"transformers"}, false, o);
        BOOST_TEST(!contains(c, "--index-url"), tool);
        p.default_index_url = "https://mirror.example/simple";
    }
}

BOOST_AUTO_TEST_CASE(metadata_headers_are_read_up_to_the_body) {
    auto d = env::parse_metadata("Metadata-Version: 2.1\r\nName: Torch\nVersion: 2.9.0+rocm6.4\n"
                                 "Requires-Dist: filelock\nRequires-Dist: pytorch-triton-rocm==3.5.0; platform_system == \"Linux\"\n"
                                 "Requires-Dist: opt-einsum>=3.3; extra == \"opt-einsum\"\n"
                                 "Description: folded\n  Requires-Dist: not-a-header\n\nRequires-Dist: body-text\n");
    BOOST_TEST(d.name == "torch");
    BOOST_TEST(d.version == "2.9.0+rocm6.4");
    BOOST_TEST(d.requires_dist.size() == 3u);
    BOOST_TEST(env::needs_extra(d.requires_dist[2]));
    BOOST_TEST(!env::needs_extra(d.requires_dist[1]));
    BOOST_TEST(!env::needs_extra("foo; python_version >= '3.10' and sys_platform != 'extras'"));
}

BOOST_AUTO_TEST_CASE(companions_come_from_what_the_installed_builds_pin) {
    test::TempDir env;
    fs::path site = env / "lib" / "python3.12" / "site-packages";
    write_dist(site, "torch-2.9.0+rocm6.4.dist-info",
               "Name: torch\nVersion: 2.9.0+rocm6.4\nRequires-Dist: filelock\n"
               "Requires-Dist: pytorch-triton-rocm==3.5.0; platform_system == \"Linux\"\n"
               "Requires-Dist: torchaudio; extra == \"audio\"\n");
    write_dist(site, "six-1.16.0.dist-info", "Name: six\nVersion: 1.16.0\nRequires-Dist: pytorch-triton-rocm==9\n");
    Plan p = routed_plan();
    auto wanted = env::missing_companions(env.path(), p, {"torch==2.9.0"});
    // filelock is the default index's; the extra's torchaudio is not asked for; six is not an accelerator build.
    BOOST_TEST(wanted == (std::vector<std::string>{"pytorch-triton-rocm==3.5.0; platform_system == \"Linux\""}));
    BOOST_TEST(env::missing_companions(env.path(), p, {"torch==2.9.0", wanted[0]}).empty());
    write_dist(site, "pytorch_triton_rocm-3.5.0.dist-info", "Name: pytorch-triton-rocm\nVersion: 3.5.0\n");
    BOOST_TEST(env::missing_companions(env.path(), p, {}).empty());
    auto pins = env::exact_index_pins(env.path(), p);
    BOOST_TEST(pins == (std::vector<std::string>{"pytorch-triton-rocm==3.5.0", "torch==2.9.0+rocm6.4"}));
}

BOOST_AUTO_TEST_CASE(resolver_errors_name_the_requirement) {
    BOOST_TEST(env::failed_requirement("ERROR: Could not find a version that satisfies the requirement torch==0.0.1 "
                                       "(from versions: 2.9.0+cu126)\nERROR: No matching distribution found for torch==0.0.1\n") ==
               "torch==0.0.1");
    BOOST_TEST(env::failed_requirement("  x No solution found when resolving dependencies:\n  `-> Because there is no "
                                       "version of torch==0.0.1 and you require torch==0.0.1, we can conclude...") ==
               "torch==0.0.1");
    BOOST_TEST(env::failed_requirement("something else entirely") == "");
}

BOOST_AUTO_TEST_CASE(plan_fields_round_trip_and_are_checked) {
    Plan p = routed_plan();
    p.default_index_url = "https://mirror.example/simple";
    Plan back = Plan::from_json(p.to_json());
    BOOST_TEST(back.index_packages == p.index_packages);
    BOOST_TEST(back.index_label == "rocm6.4");
    BOOST_TEST(back.default_index_url == p.default_index_url);
    auto bad = [&](const char *key, json::value v) {
        auto o = p.to_json();
        o[key] = v;
        try {
            Plan::from_json(o);
        } catch (const std::runtime_error &e) {
            return std::string(e.what());
        }
        return std::string();
    };
    BOOST_TEST(bad("index_packages", json::array{"--index-url=http://evil"}).find("index_packages") != std::string::npos);
    BOOST_TEST(bad("index_label", "cu126 --pre").find("index_label") != std::string::npos);
    BOOST_TEST(bad("default_index_url", "-i http://x").find("default_index_url") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
