// `gpuhost explain` as a user runs it: a file, standard input, --json, --top,
// --backend and --fact, and the documented exit codes.
#include "core/files.hpp"
#include "plan/plan.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>

using namespace gpuhost;
namespace json = boost::json;

namespace {

const std::string kErrors = std::string(GPUHOST_SOURCE_DIR) + "/tests/data/errors/";

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// gpuhost explain with the text on standard input (a pipe, not a terminal).
ProcessResult explain_stdin(const std::string &file, const std::string &args) {
    ProcessOptions options;
    options.timeout = std::chrono::seconds(60);
    test::hermetic_gpuhost_environment({"explain"}).apply_to(options);
    return run_process("/bin/sh", {"-c", "\"$0\" explain " + args + " < \"$1\"", GPUHOST_BINARY, file}, options);
}

// gpuhost explain --json on a log with the facts of a recorded inventory (tests/fixtures/inventories).
json::object explain_with_inventory(const std::string &log, const std::string &inventory,
                                    std::vector<std::string> more = {}) {
    std::vector<std::string> args{"explain", "--json", "--inventory",
                                  std::string(GPUHOST_FIXTURES) + "/inventories/" + inventory};
    args.insert(args.end(), more.begin(), more.end());
    args.push_back(log);
    auto v = parse_json(test::run_gpuhost(args).output, "explain --json");
    BOOST_REQUIRE(v.is_object());
    return v.as_object();
}

json::object parse(const ProcessResult &r) {
    auto v = parse_json(r.output, "explain --json");
    BOOST_REQUIRE(v.is_object());
    return v.as_object();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_log_file_gets_its_diagnosis_and_numbered_steps) {
    auto r = test::run_gpuhost({"explain", kErrors + "nvml_driver_library_mismatch--1.txt"});
    BOOST_TEST(r.exit_code == 0, r.error_output);
    BOOST_TEST(has(r.output, "1. nvml_driver_library_mismatch  [error, score"));
    BOOST_TEST(has(r.output, "confidence"));
    BOOST_TEST(has(r.output, "     1) "));
    BOOST_TEST(has(r.output, "     2) "));
}

BOOST_AUTO_TEST_CASE(standard_input_is_read_with_dash_or_without_a_file) {
    for (const char *args : {"-", ""}) {
        auto r = explain_stdin(kErrors + "cuda_out_of_memory--1.txt", std::string(args) + " --json");
        BOOST_TEST(r.exit_code == 0, r.error_output);
        BOOST_TEST(parse(r).at("matches").as_array().at(0).at("id").as_string() == "cuda_out_of_memory");
    }
}

BOOST_AUTO_TEST_CASE(json_lists_ranked_matches_with_their_ids) {
    auto r = test::run_gpuhost({"explain", "--json", "--top", "0", "--text-only", kErrors + "cuda_driver_too_old--1.txt"});
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto doc = parse(r);
    BOOST_TEST(doc.at("matched").as_bool());
    const auto &ms = doc.at("matches").as_array();
    BOOST_REQUIRE(!ms.empty());
    BOOST_TEST(ms[0].at("id").as_string() == "cuda_driver_too_old");
    double previous = 1e9;
    for (const auto &m : ms) {
        const auto &o = m.as_object();
        for (const char *key : {"id", "score", "confidence", "severity", "diagnosis", "steps", "matched", "conditions_met", "fix"})
            BOOST_TEST(o.contains(key), "match lacks " << key);
        double score = o.at("score").to_number<double>();
        BOOST_TEST(score <= previous);  // best first
        previous = score;
        BOOST_TEST(!o.at("steps").as_array().empty());
    }
    BOOST_TEST(doc.at("fix").at("action").as_string() == "reinstall");
    BOOST_TEST(doc.at("rules_loaded").to_number<int>() >= 45);
    // stdout is only JSON: it parsed above, so nothing else was printed there.
}

BOOST_AUTO_TEST_CASE(top_limits_the_matches) {
    // Two failures in one log match (at least) two rules.
    test::TempDir dir;
    auto text = read_text(kErrors + "hip_invalid_device_function--1.txt").value() + "\n" +
                read_text(kErrors + "no_kernel_image--1.txt").value();
    dir.write("log.txt", text);
    auto all = parse(test::run_gpuhost({"explain", "--json", "--top", "0", (dir / "log.txt").string()}));
    BOOST_TEST(all.at("matches").as_array().size() >= 2u);
    auto one = parse(test::run_gpuhost({"explain", "--json", "--top", "1", (dir / "log.txt").string()}));
    BOOST_TEST(one.at("matches").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(backend_and_facts_change_ranking_and_fill_steps) {
    test::TempDir dir;
    dir.write("log.txt", "RuntimeError: HIP error: invalid device function\n");
    auto log = (dir / "log.txt").string();
    // --backend names a backend a plugin declares: the cuda and rocm plugins load
    // (explain with --backend reads no device, so the machine stays out of it).
    auto declared = test::only_real_plugins({"cpu", "cuda", "rocm"});
    auto on_cuda = parse(test::run_gpuhost({"explain", "--json", "--backend", "cuda", log}, {declared}));
    const auto &m = on_cuda.at("matches").as_array().at(0).as_object();
    BOOST_TEST(m.at("id").as_string() == "hip_invalid_device_function");  // still shown
    BOOST_TEST(!m.at("conditions_met").as_bool());
    // gfx1101 is missing from older ROCm builds: the RDNA3 override.
    auto filled = parse(test::run_gpuhost({"explain", "--json", "--backend", "rocm", "--fact", "gfx=gfx1101",
                                           "--fact", "venv=/envs/x", log}, {declared}));
    const auto &f = filled.at("matches").as_array().at(0).as_object();
    BOOST_TEST(f.at("id").as_string() == "rocm_unsupported_gfx");
    BOOST_TEST(f.at("conditions_met").as_bool());
    BOOST_TEST(f.at("fix").at("value").as_string() == "11.0.0");
    BOOST_TEST(filled.at("facts").at("gfx").as_string() == "gfx1101");
}

// This machine's SLURM_JOB_ID says the failure happened inside a Slurm job.
BOOST_AUTO_TEST_CASE(a_slurm_job_is_known_from_its_environment) {
    test::TempDir dir;
    dir.write("log.txt", "RuntimeError: CUDA error: no CUDA-capable device is detected\n");
    auto log = (dir / "log.txt").string();
    auto in_job = parse(test::run_gpuhost_live({"explain", "--json", log}, {{"SLURM_JOB_ID", "4242"}}));
    BOOST_TEST(in_job.at("facts").at("slurm").as_bool());
    BOOST_TEST(in_job.at("matches").as_array().at(0).at("id").as_string() == "slurm_job_without_gpu");
    auto outside = parse(test::run_gpuhost_live({"explain", "--json", log}, {{"SLURM_JOB_ID", ""}}));
    BOOST_TEST(!outside.at("facts").as_object().contains("slurm"));  // unknown, not false: the log may be from elsewhere
    BOOST_TEST(outside.at("matches").as_array().at(0).at("id").as_string() != "slurm_job_without_gpu");
}

BOOST_AUTO_TEST_CASE(exit_codes) {
    test::TempDir dir;
    dir.write("fine.txt", "Successfully installed numpy-2.1.0\n");
    auto none = test::run_gpuhost({"explain", (dir / "fine.txt").string()});
    BOOST_TEST(none.exit_code == 1);  // kFailed: nothing matched
    BOOST_TEST(has(none.output, "No recovery rule matches"));
    auto none_json = test::run_gpuhost({"explain", "--json", (dir / "fine.txt").string()});
    BOOST_TEST(none_json.exit_code == 1);
    BOOST_TEST(!parse(none_json).at("matched").as_bool());

    auto missing = test::run_gpuhost({"explain", (dir / "nope.txt").string()});
    BOOST_TEST(missing.exit_code == 3);  // kBadInput, naming the file
    BOOST_TEST(has(missing.error_output, "nope.txt"));

    BOOST_TEST(test::run_gpuhost({"explain", "--top", "x", (dir / "fine.txt").string()}).exit_code == 2);
    BOOST_TEST(test::run_gpuhost({"explain", "--fact", "colour=blue", (dir / "fine.txt").string()}).exit_code == 2);
    auto help = test::run_gpuhost({"explain", "--help"});
    BOOST_TEST(help.exit_code == 0);
    BOOST_TEST(has(help.output, "exit codes: 0 a rule matched"));
    BOOST_TEST(has(help.output, "1 no rule matched"));

    // A wording no pattern knows, in the words of its failure family: a marked guess.
    dir.write("odd.txt", "FooRuntimeError: the kernel launch ran out of memory on device 0 (CUDA)\n");
    auto guess = test::run_gpuhost({"explain", "--json", "--text-only", (dir / "odd.txt").string()});
    BOOST_TEST(guess.exit_code == 0);
    auto first = parse(guess).at("matches").as_array().at(0).as_object();
    BOOST_TEST(first.at("id").as_string() == "cuda_out_of_memory");
    BOOST_TEST(first.at("by_keywords").as_bool());
    auto guess_text = test::run_gpuhost({"explain", "--text-only", (dir / "odd.txt").string()});
    BOOST_TEST(has(guess_text.output, "as a guess"));
    BOOST_TEST(has(guess_text.output, "never applied for a guess"));

    // No pattern and no hint: the rules whose known failures share the log's words, and --why names them.
    dir.write("words.txt", "starting job 17\nSegmentation fault in worker 3 while loading weights\n");
    auto by_words = test::run_gpuhost({"explain", "--json", "--text-only", (dir / "words.txt").string()});
    BOOST_TEST(by_words.exit_code == 1);  // leads, not a match
    BOOST_TEST(!parse(by_words).at("matched").as_bool());
    BOOST_TEST(parse(by_words).at("fix").is_null());
    auto top = parse(by_words).at("matches").as_array().at(0).as_object();
    BOOST_TEST(top.at("by_words").as_bool());
    BOOST_TEST(top.at("by_keywords").as_bool());
    auto why_words = test::run_gpuhost({"explain", "--why", "--text-only", (dir / "words.txt").string()});
    BOOST_TEST(has(why_words.output, "No recovery rule matches this text"));
    BOOST_TEST(has(why_words.output, "share its words"));
    BOOST_TEST(has(why_words.output, "line 2: word "));
    BOOST_TEST(!has(why_words.output, "its fix"));  // a lead by words proposes none
    BOOST_TEST(!has(why_words.output, "automatic fix"));
}

BOOST_AUTO_TEST_CASE(a_plan_supplies_the_environment_facts) {
    test::TempDir dir;
    Plan plan;
    plan.profile = "nlp";
    plan.backend = "cuda";
    plan.accelerator = "cu126";
    plan.device_id = "cuda:0";
    plan.framework = "pytorch";
    plan.python_min = "3.10";
    plan.python_max = "3.13";
    plan.env_path = "/envs/nlp-cu126";
    dir.write("plan.json", pretty_json(plan.to_json()));
    dir.write("log.txt", "AssertionError: Torch not compiled with CUDA enabled\n");
    auto r = test::run_gpuhost({"explain", "--json", "--plan", (dir / "plan.json").string(), (dir / "log.txt").string()});
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto doc = parse(r);
    const auto &m = doc.at("matches").as_array().at(0).as_object();
    BOOST_TEST(m.at("id").as_string() == "torch_cpu_build_on_gpu");
    BOOST_TEST(m.at("conditions_met").as_bool());
    BOOST_TEST(has(std::string(m.at("steps").as_array().at(0).as_string()), "/envs/nlp-cu126/bin/python -c"));
    BOOST_TEST(m.at("fix").at("accelerator").as_string() == "cu126");

    dir.write("not-a-plan.json", "{\"x\": 1}");
    auto bad = test::run_gpuhost({"explain", "--plan", (dir / "not-a-plan.json").string(), (dir / "log.txt").string()});
    BOOST_TEST(bad.exit_code == 3);
    BOOST_TEST(has(bad.error_output, "not-a-plan.json: not a plan"));
}

BOOST_AUTO_TEST_CASE(an_inventory_supplies_the_device_facts) {
    test::TempDir dir;
    dir.write("log.txt", "RuntimeError: HIP error: invalid device function\n");
    auto log = (dir / "log.txt").string();
    auto inventories = std::string(GPUHOST_FIXTURES) + "/inventories/";
    // gfx1031 (RDNA2) -> 10.3.0; the first GPU is taken when --device is not given.
    auto rdna2 = explain_with_inventory(log, "amd-gfx1031-override.json");
    BOOST_TEST(rdna2.at("facts").at("gfx").as_string() == "gfx1031");
    BOOST_TEST(rdna2.at("facts").at("backend").as_string() == "rocm");
    BOOST_TEST(rdna2.at("fix").at("value").as_string() == "10.3.0");
    BOOST_TEST(rdna2.at("fix").at("ready").as_bool());
    auto second = explain_with_inventory(log, "amd-gfx1031-override.json", {"--device", "rocm:1"});
    BOOST_TEST(second.at("facts").at("gfx").as_string() == "gfx1036");
    // gfx1100 ships in every ROCm build: this build left it out, so the tables' build for it.
    auto rdna3 = explain_with_inventory(log, "amd-rdna3-discrete.json");
    BOOST_TEST(rdna3.at("matches").as_array().at(0).at("id").as_string() == "hip_invalid_device_function");
    BOOST_TEST(rdna3.at("fix").at("action").as_string() == "reinstall");
    BOOST_TEST(rdna3.at("fix").at("accelerator").as_string() == "rocm7.14");
    // A Polaris card: ROCm dropped it, whatever the build.
    auto polaris = explain_with_inventory(log, "amd-polaris-gfx803.json");
    BOOST_TEST(polaris.at("matches").as_array().at(0).at("id").as_string() == "rocm_old_polaris");

    BOOST_TEST(test::run_gpuhost({"explain", "--inventory", inventories + "amd-rdna3-discrete.json", "--device", "cuda:7", log})
                   .exit_code == 2);
    BOOST_TEST(test::run_gpuhost({"explain", "--device", "rocm:0", log}).exit_code == 2);
}

// An NVIDIA device's compute capability comes from the inventory (or --fact):
// "no kernel image" on a GPU some CUDA build carries is a build to change, on
// one none carries the GPU's age.
BOOST_AUTO_TEST_CASE(the_compute_capability_of_the_device_decides_a_missing_kernel) {
    test::TempDir dir;
    dir.write("log.txt", "RuntimeError: CUDA error: no kernel image is available for execution on the device\n");
    auto log = (dir / "log.txt").string();
    auto h100 = explain_with_inventory(log, "nvidia-multi-gpu-server.json");
    BOOST_TEST(h100.at("facts").at("compute_capability").as_string() == "9.0");
    BOOST_TEST(h100.at("matches").as_array().at(0).at("id").as_string() == "no_kernel_image");
    auto kepler = parse(test::run_gpuhost({"explain", "--json", "--fact", "backend=cuda", "--fact", "compute_capability=3.5", log}));
    BOOST_TEST(kepler.at("matches").as_array().at(0).at("id").as_string() == "gpu_too_old");
    for (const char *wrong : {"compute_capability=sm_35", "compute_capability=1..", "compute_capability=8.", "compute_capability=123.4"}) {
        auto bad = test::run_gpuhost({"explain", "--fact", wrong, log});
        BOOST_TEST(bad.exit_code == 2, wrong);
        BOOST_TEST(has(bad.error_output, "MAJOR.MINOR"), wrong);
    }
}

BOOST_AUTO_TEST_CASE(why_shows_the_lines_that_matched_the_chosen_rule) {
    test::TempDir dir;
    dir.write("log.txt", "Loading model...\nstep 1 loss 0.5\n"
                         "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\nbye\n");
    auto file = (dir / "log.txt").string();
    auto r = test::run_gpuhost({"explain", "--why", "--text-only", file});
    BOOST_TEST(r.exit_code == 0, r.error_output);
    BOOST_TEST(has(r.output, "1. cuda_out_of_memory"), r.output);
    BOOST_TEST(has(r.output, "why (lines of the log that matched cuda_out_of_memory's patterns):"), r.output);
    BOOST_TEST(has(r.output, "     line 3"), r.output);
    BOOST_TEST(has(r.output, "       torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"), r.output);
    // Without --why the patterns are listed as before, with no line numbers.
    auto plain = test::run_gpuhost({"explain", "--text-only", file});
    BOOST_TEST(!has(plain.output, "     line 3"), plain.output);
    // --json carries the same evidence for every match.
    auto j = test::run_gpuhost({"explain", "--json", "--text-only", file});
    auto doc = parse(j);
    const auto &why = doc.at("matches").as_array().at(0).at("why").as_array();
    BOOST_REQUIRE(!why.empty());
    for (const auto &e : why) {
        BOOST_TEST(e.at("line").as_int64() == 3);
        BOOST_TEST(has(std::string(e.at("text").as_string()), "CUDA out of memory"));
        BOOST_TEST(!e.at("pattern").as_string().empty());
    }
}

// A huge log is read at its start and end only: an error in the middle is not
// seen, one at the end is, from a file (seek) and from a pipe alike.
BOOST_AUTO_TEST_CASE(a_huge_log_is_read_at_its_start_and_its_end) {
    test::TempDir dir;
    std::string filler;
    for (int i = 0; filler.size() < (std::size_t(3) << 20); ++i) filler += "step " + std::to_string(i) + " loss 0.25\n";
    const std::string oom = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n";
    dir.write("middle.log", filler + oom + filler);
    dir.write("end.log", filler + filler + oom);
    for (bool pipe : {false, true}) {
        auto run = [&](const std::string &name) {
            auto file = (dir / name).string();
            return pipe ? explain_stdin(file, "--json --text-only") : test::run_gpuhost({"explain", "--json", "--text-only", file});
        };
        auto middle = run("middle.log");
        BOOST_TEST(middle.exit_code == 1, middle.output << middle.error_output);
        auto end = run("end.log");
        BOOST_TEST(end.exit_code == 0, end.error_output);
        BOOST_TEST(parse(end).at("matches").as_array().at(0).at("id").as_string() == "cuda_out_of_memory");
    }
}

// The same error ranks the WSL rule first when the log shows a WSL kernel, and
// --why says which line told it so.
BOOST_AUTO_TEST_CASE(why_names_the_facts_read_from_the_log) {
    test::TempDir dir;
    dir.write("wsl.log", "Linux version 5.15.90.1-microsoft-standard-WSL2 (gcc 11.2.0)\n"
                         "RuntimeError: Found no NVIDIA driver on your system.\n");
    dir.write("native.log", "RuntimeError: Found no NVIDIA driver on your system.\n");
    auto wsl = test::run_gpuhost({"explain", "--why", "--text-only", (dir / "wsl.log").string()});
    BOOST_TEST(wsl.exit_code == 0, wsl.error_output);
    BOOST_TEST(has(wsl.output, "1. wsl_gpu_not_visible"), wsl.output);
    BOOST_TEST(has(wsl.output, "read from the log: wsl=true (line 1: Linux version 5.15.90.1-microsoft-standard-WSL2"),
               wsl.output);
    auto native = test::run_gpuhost({"explain", "--text-only", (dir / "native.log").string()});
    BOOST_TEST(has(native.output, "1. nvidia_driver_not_loaded"), native.output);
    // The machine's own facts win over the log's.
    auto forced = test::run_gpuhost({"explain", "--text-only", "--fact", "wsl=false", (dir / "wsl.log").string()});
    BOOST_TEST(has(forced.output, "1. nvidia_driver_not_loaded"), forced.output);
}
