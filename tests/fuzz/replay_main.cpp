// Replays inputs through a fuzz target without libFuzzer, so any compiler and
// any machine can run the seed corpus and the kept crashers (ctest fuzz_replay_*).
// Arguments are files or folders (read recursively, in sorted order). A crash
// or a sanitizer report fails the run; the file being replayed is printed first.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

namespace fs = std::filesystem;

static void collect(const fs::path &p, std::vector<fs::path> &out) {
    if (fs::is_directory(p)) {
        for (const auto &e : fs::recursive_directory_iterator(p))
            if (e.is_regular_file()) out.push_back(e.path());
    } else if (fs::is_regular_file(p)) {
        out.push_back(p);
    } else {
        std::fprintf(stderr, "replay: %s is neither a file nor a folder\n", p.c_str());
        std::exit(2);
    }
}

int main(int argc, char **argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) collect(argv[i], inputs);
    std::sort(inputs.begin(), inputs.end());
    if (inputs.empty()) {
        std::fprintf(stderr, "replay: no inputs given\n");
        return 2;
    }
    for (const auto &file : inputs) {
        std::ifstream in(file, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), bytes.size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
    }
    std::printf("replay: %zu inputs, no crash\n", inputs.size());
    return 0;
}
