// Small text helpers the test suites share.
#pragma once
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace gpuhost::test {

inline bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// The whole file, or "" when it cannot be read.
inline std::string read(const std::filesystem::path &file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace gpuhost::test
