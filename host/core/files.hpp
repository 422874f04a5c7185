// Reading JSON with errors that name the file and place, and writing files atomically.
#pragma once
#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace gpuhost {

// Thrown for unreadable or malformed input files; what() names the file.
struct FileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Thrown when a file cannot be written (a full disk, no permission): the job
// failed, the input was fine. Not a FileError: what() names the file and errno text.
struct WriteError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::optional<std::string> read_text(const std::filesystem::path &file);
// Parses JSON text; on error throws FileError "FILE:LINE:COL: message".
boost::json::value parse_json(const std::string &text, const std::string &origin);
boost::json::value read_json_file(const std::filesystem::path &file);

// Writes to a temporary file in the same folder, flushes it to disk, then
// renames it over the target: readers see the old file or the new, never half.
// Throws WriteError.
void write_file_atomic(const std::filesystem::path &file, const std::string &content);

// Indented JSON for people and for files kept in version control.
std::string pretty_json(const boost::json::value &value);
// A double as JSON text in plain decimal notation (2.7, 0.001, 3.0; null when not finite).
std::string plain_decimal(double v);

}  // namespace gpuhost
