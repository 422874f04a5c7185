#include "facts.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace json = boost::json;

namespace gpuhost::recover {

static std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool is_compute_capability(const std::string &text) {
    // MAJOR.MINOR as CUDA reports it: "3.5", "8.6", "12.0".
    auto digit = [](unsigned char c) { return std::isdigit(c) != 0; };
    auto dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot > 2 || text.size() != dot + 2) return false;
    return std::all_of(text.begin(), text.begin() + dot, digit) && digit(text[dot + 1]);
}

json::object Facts::to_json() const {
    json::object o;
    auto put = [&o](const char *key, const std::string &value) {
        if (!value.empty()) o[key] = value;
    };
    put("backend", backend);
    put("os", os);
    if (wsl) o["wsl"] = *wsl;
    if (container) o["container"] = *container;
    if (secure_boot) o["secure_boot"] = *secure_boot;
    if (slurm) o["slurm"] = *slurm;
    if (kfd_access) o["kfd_access"] = *kfd_access;
    if (render_access) o["render_access"] = *render_access;
    if (nvidia_driver_loaded) o["nvidia_driver_loaded"] = *nvidia_driver_loaded;
    if (nouveau_loaded) o["nouveau_loaded"] = *nouveau_loaded;
    put("driver_version", driver_version);
    put("gfx", gfx);
    put("gfx_override", gfx_override);
    put("compute_capability", compute_capability);
    put("python", python);
    put("venv", venv);
    put("accelerator", accelerator);
    if (gpu_builds) {
        json::array builds;
        for (const auto &b : *gpu_builds) builds.emplace_back(b);
        o["gpu_builds"] = std::move(builds);
    }
    put("profile", profile);
    return o;
}

void Facts::add_plan(const Plan &plan) {
    if (!plan.backend.empty()) backend = plan.backend;
    if (!plan.accelerator.empty()) accelerator = plan.accelerator;
    if (!plan.profile.empty()) profile = plan.profile;
    if (!plan.env_path.empty()) {
        venv = plan.env_path;
        if (python.empty()) python = plan.env_path + "/bin/python";
    }
}

void Facts::add_device(const json::object &device) {
    auto text = [&device](const char *key) {
        auto it = device.find(key);
        return it != device.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
    };
    if (backend.empty()) backend = text("backend");
    if (driver_version.empty()) driver_version = text("driver_version");
    auto arch = lower(text("architecture"));
    if (gfx.empty() && arch.rfind("gfx", 0) == 0) gfx = arch;
    if (compute_capability.empty() && text("backend") == "cuda" && is_compute_capability(arch)) compute_capability = arch;
}

std::optional<bool> secure_boot_from_efi(const sdk::Sysroot &root, std::string *source) {
    for (const auto &name : root.list("/sys/firmware/efi/efivars"))
        if (name.rfind("SecureBoot-", 0) == 0) {
            std::string path = "/sys/firmware/efi/efivars/" + name;
            auto data = root.read(path);
            if (data && data->size() >= 5) {
                if (source) *source = path;
                return (*data)[4] == 1;
            }
        }
    return std::nullopt;
}

std::optional<bool> node_access(const sdk::Sysroot &root, const std::string &node) {
    if (!root.exists(node)) return std::nullopt;
    return root.accessible(node);
}

std::optional<bool> render_node_access(const sdk::Sysroot &root) {
    std::optional<bool> any;
    for (const auto &name : root.list("/dev/dri"))
        if (name.rfind("renderD", 0) == 0) {
            if (root.accessible("/dev/dri/" + name)) return true;
            any = false;
        }
    return any;
}

std::optional<bool> module_loaded(const sdk::Sysroot &root, const std::string &module) {
    if (root.exists("/sys/module/" + module)) return true;
    if (module == "nvidia" && root.exists("/proc/driver/nvidia/version")) return true;
    if (root.is_live() && root.exists("/sys/module")) return false;
    return std::nullopt;
}

bool is_wsl(const sdk::Sysroot &root) {
    for (const char *file : {"/proc/version", "/proc/sys/kernel/osrelease"})
        if (auto text = root.read(file); text && lower(*text).find("microsoft") != std::string::npos) return true;
    return false;
}

std::string container_hint(const sdk::Sysroot &root) {
    for (const char *marker : {"/.dockerenv", "/run/.containerenv"})
        if (root.exists(marker)) return marker;
    if (auto cgroup = root.read("/proc/1/cgroup")) {
        auto text = lower(*cgroup);
        for (const char *runtime : {"docker", "kubepods", "containerd", "libpod", "lxc"})
            if (text.find(runtime) != std::string::npos) return std::string("/proc/1/cgroup names ") + runtime;
    }
    return {};
}

void Facts::add_machine(const sdk::Sysroot &root) {
    if (os.empty()) {
        if (root.is_live()) {
#if defined(__APPLE__)
            os = "macos";
#elif defined(_WIN32)
            os = "windows";
#else
            os = "linux";
#endif
        } else if (root.exists("/proc") || root.exists("/sys") || root.exists("/dev") || root.exists("/etc")) {
            os = "linux";
        } else if (std::filesystem::exists(std::filesystem::path(root.prefix()) / "tools" /
                                           "system_profiler_SPDisplaysDataType.txt")) {
            os = "macos";  // a Mac recording holds only its tools' outputs
        }
    }
    if (!wsl) wsl = is_wsl(root);
    if (!container) container = !container_hint(root).empty();
    if (!secure_boot) secure_boot = secure_boot_from_efi(root);
    if (!kfd_access) kfd_access = node_access(root, "/dev/kfd");
    if (!render_access) render_access = render_node_access(root);
    if (!nvidia_driver_loaded) nvidia_driver_loaded = module_loaded(root, "nvidia");
    if (!nouveau_loaded) nouveau_loaded = module_loaded(root, "nouveau");
    // Slurm sets SLURM_JOB_ID in every job and step. Its absence says nothing of a
    // log from elsewhere (gpuhost explain), so the fact stays unknown then.
    const char *job = root.is_live() ? std::getenv("SLURM_JOB_ID") : nullptr;
    if (!slurm && job && *job) slurm = true;
}

}  // namespace gpuhost::recover
