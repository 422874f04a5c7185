#include "run_settings.hpp"

#include "../policy/config.hpp"

namespace gpuhost::env {

RunSettings load_run_settings() {
    Config config = load_config();
    RunSettings s;
    s.envs_dir = config.text("envs_dir");
    s.accept_existing = config.boolean("accept_existing");
    s.auto_fix = config.boolean("auto_fix");
    s.installer = config.text("installer");
    s.lock_timeout_s = int(config.integer("lock_timeout_s"));
    s.install_timeout_s = int(config.integer("install_timeout_s"));
    return s;
}

}  // namespace gpuhost::env
