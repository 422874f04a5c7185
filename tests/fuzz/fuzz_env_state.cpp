// environment_state.json inside an environment folder: load_state never
// throws (a bad file is "corrupt" with a reason), and a state it reads must
// survive to_json and back unchanged.
#include "fuzz_support.hpp"

#include "env/env_state.hpp"

#include <boost/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost::env;
    auto env = gpuhost::fuzz::scratch_dir() / "env";
    gpuhost::fuzz::write_scratch(std::string("env/") + kStateFileName, data, size);
    auto loaded = load_state(env);
    FUZZ_CHECK(loaded.kind != LoadedState::Kind::missing, "the file was written");
    if (loaded.kind == LoadedState::Kind::corrupt) {
        FUZZ_CHECK(!loaded.error.empty(), "corrupt without a reason");
        return 0;
    }
    auto once = loaded.state.to_json();
    auto again = EnvState::from_json(once);
    FUZZ_CHECK(boost::json::serialize(again.to_json()) == boost::json::serialize(once), boost::json::serialize(once));
    return 0;
}
