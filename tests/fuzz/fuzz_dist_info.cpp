// What an environment's *.dist-info folders say (installers and packages write
// them; a damaged or hostile one is data): METADATA headers (parse_metadata, which
// the installer reads for the companions an accelerator build pins) and RECORD
// rows (parse_record_line, check_record, which the reuse decision reads).
// The input is both a METADATA and a RECORD of one distribution.
#include "fuzz_support.hpp"

#include "env/dist_metadata.hpp"
#include "env/installed_files.hpp"
#include "env/requirements.hpp"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost::env;
    std::string text = gpuhost::fuzz::text(data, size);
    auto d = parse_metadata(text);
    FUZZ_CHECK(normalize_name(d.name) == d.name, d.name);
    for (const auto &r : d.requires_dist) {
        FUZZ_CHECK(!r.empty() && r.front() != ' ' && r.back() != ' ', r);
        needs_extra(r);
    }
    std::istringstream in(text);
    std::string line, path;
    long long bytes = 0;
    size_t sized = 0;
    while (std::getline(in, line)) {
        if (!parse_record_line(line, path, bytes)) continue;
        FUZZ_CHECK(!path.empty() && bytes >= -1, line);
        if (line.front() != '"') FUZZ_CHECK(line.compare(0, path.size() + 1, path + ",") == 0, line);
        if (bytes >= 0) ++sized;
    }
    // The same text as a RECORD inside a scratch environment: nothing outside it
    // is counted, and the damage list stays short.
    auto env = gpuhost::fuzz::scratch_dir() / "env";
    auto sp = env / "lib/python3.12/site-packages";
    gpuhost::fuzz::write_scratch("env/lib/python3.12/site-packages/demo-1.0.dist-info/RECORD", data, size);
    auto check = check_record(sp / "demo-1.0.dist-info", sp, env);
    FUZZ_CHECK(check.has_record, "the RECORD was written");
    FUZZ_CHECK(check.checked <= sized, std::to_string(check.checked) + " > " + std::to_string(sized));
    FUZZ_CHECK(check.damaged.size() <= 4, std::to_string(check.damaged.size()));
    return 0;
}
