// Small text helpers every parser shares (trim, lines, "KEY=value", numbers
// that may be hex, PCI bus ids), so no plugin carries its own copy.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::text {

// Without leading and trailing whitespace (and NULs, which sysfs files may end with).
std::string trim(const std::string &s);
// The lines of text, each without its '\r' (files written on Windows).
std::vector<std::string> lines(const std::string &text);
bool starts_with(const std::string &s, const std::string &prefix);
std::string lower(std::string s);
// Whole-string unsigned number: decimal, or hex with 0x. nullopt on anything else.
std::optional<std::uint64_t> to_u64(const std::string &raw);
// "0x1002" for 4098.
std::string hex16(std::uint64_t v);
// The value of the first "KEY=value" line (uevent files).
std::optional<std::string> uevent_value(const std::string &text, const std::string &key);
// std::regex (libstdc++) recurses once or more per character it consumes, so a
// long enough line overflows the stack (the clinfo fuzzer found a 20,000-byte
// device line). No real tool line or value comes near this length: parsers
// hand a std::regex only text that fits.
inline constexpr std::size_t kRegexInputLimit = 4096;
inline bool fits_regex(const std::string &s) { return s.size() <= kRegexInputLimit; }

// "0000:01:00.0" from "00000000:01:00.0", "01:00.0", "0000:01:00.0" (any case);
// "" when it is no PCI bus id. The domain is 16 bits on Linux; NVML and
// nvidia-smi print 8 hex digits.
std::string normalize_pci_bus_id(const std::string &bus_id);

// JSON text that was cut short (a tool killed mid-write, a paste that stops
// early), made whole so a JSON parser can read what it holds: the text from
// the first '{' or '[' (tools print warnings before their JSON), without the
// member that was being written when it stopped, with every open string,
// array and object closed. Whole JSON comes back unchanged; text with no '{'
// or '[' comes back empty.
std::string close_truncated_json(const std::string &text);

}  // namespace gpuhost::text
