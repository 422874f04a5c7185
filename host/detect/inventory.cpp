#include "inventory.hpp"

#include "device_schema.hpp"

#include "gpuhost/text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace json = boost::json;

namespace gpuhost {

static std::string str(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::string normalize_bus_id(const std::string &raw) {
    std::string bus = text::normalize_pci_bus_id(raw);
    return bus.empty() ? text::lower(raw) : bus;  // not a bus id: compared as given
}

void add_detect_result(const json::object &result, const std::string &plugin, json::array &devices) {
    auto it = result.find("devices");
    if (it == result.end() || !it->value().is_array()) return;
    for (const auto &d : it->value().as_array()) {
        json::object device = d.as_object();
        device["plugin"] = plugin;
        devices.push_back(std::move(device));
    }
}

namespace {

std::string bus_of(const json::object &d) {
    auto pci = d.find("pci");
    if (pci == d.end() || !pci->value().is_object()) return {};
    std::string bus = str(pci->value().as_object(), "bus_id");
    return bus.empty() ? bus : normalize_bus_id(bus);
}

// Vendor plugins know more than the vendor-neutral probes.
int trust(const json::object &d) {
    std::string backend = str(d, "backend");
    return backend == "vulkan" ? 1 : backend == "opencl" ? 0 : 2;
}

void add_unique(json::array &to, const json::value &v) {
    if (std::find(to.begin(), to.end(), v) == to.end()) to.push_back(v);
}

void absorb(json::object &primary, const json::object &other) {
    auto &signals = primary["signals"];
    if (!signals.is_array()) signals = json::array();
    if (auto s = other.find("signals"); s != other.end() && s->value().is_array())
        for (const auto &v : s->value().as_array()) add_unique(signals.as_array(), v);
    auto &seen = primary["seen_by"].as_array();
    add_unique(seen, json::value(str(other, "plugin")));
    // Fill facts the primary lacks.
    for (const char *key : {"uuid", "driver_version", "architecture"})
        if (str(primary, key).empty() && !str(other, key).empty()) primary[key] = other.at(key);
    auto &memory = primary["memory"];
    if (memory.is_object() && !memory.as_object().contains("total_bytes"))
        if (auto m = other.find("memory"); m != other.end() && m->value().is_object())
            if (auto t = m->value().as_object().find("total_bytes"); t != m->value().as_object().end())
                memory.as_object()["total_bytes"] = t->value();
    // Keep the other view's own facts for cross-checking.
    auto &views = primary["views"];
    if (!views.is_object()) views = json::object();
    json::object view;
    for (const char *key : {"name", "backend", "driver_version", "type"})
        if (!str(other, key).empty()) view[key] = str(other, key);
    if (auto m = other.find("memory"); m != other.end()) view["memory"] = m->value();
    // What a probe needs to find its device again when kernels fall back to it.
    if (auto d = other.find("details"); d != other.end()) view["details"] = d->value();
    views.as_object()[str(other, "plugin")] = std::move(view);
}

}  // namespace

json::array merge_devices(const json::array &devices) {
    std::vector<json::object> list;
    for (const auto &d : devices) list.push_back(d.as_object());
    // Most trusted first, so it becomes the primary record of its group.
    std::stable_sort(list.begin(), list.end(),
                     [](const json::object &a, const json::object &b) { return trust(a) > trust(b); });
    std::vector<json::object> merged;
    for (auto &d : list) {
        std::string bus = bus_of(d), uuid = str(d, "uuid");
        json::object *into = nullptr;
        for (auto &m : merged) {
            if ((!bus.empty() && bus == bus_of(m)) || (!uuid.empty() && uuid == str(m, "uuid"))) {
                into = &m;
                break;
            }
        }
        if (into) {
            absorb(*into, d);
        } else {
            if (!bus.empty()) d["pci"].as_object()["bus_id"] = bus;
            d["seen_by"] = json::array{json::value(str(d, "plugin"))};
            merged.push_back(std::move(d));
        }
    }
    std::map<std::string, int> next_index;
    json::array out;
    for (auto &m : merged) {
        std::string backend = str(m, "backend");
        m["id"] = backend + ":" + std::to_string(next_index[backend]++);
        out.push_back(std::move(m));
    }
    return out;
}

json::object Inventory::to_json() const {
    json::array plugin_list;
    for (const auto &p : plugins) {
        json::object o{{"plugin", p.plugin}, {"status", p.status}, {"seconds", p.seconds}};
        if (!p.reason.empty()) o["reason"] = p.reason;
        json::array notes;
        for (const auto &n : p.notes) notes.emplace_back(n);
        o["notes"] = std::move(notes);
        plugin_list.push_back(std::move(o));
    }
    json::object probe_run{{"request", probes.request}, {"ran", probes.ran}};
    if (!probes.why.empty()) probe_run["why"] = probes.why;
    return {{"schema", 1}, {"devices", devices}, {"plugins", std::move(plugin_list)}, {"probes", std::move(probe_run)}};
}

Inventory Inventory::from_json(const json::object &o) {
    Inventory inv;
    auto d = o.find("devices");
    auto p = o.find("plugins");
    if (d == o.end() || !d->value().is_array() || p == o.end() || !p->value().is_array())
        throw std::runtime_error("not an inventory (needs devices and plugins arrays)");
    inv.devices = d->value().as_array();
    // Every source of an inventory (the cache, --inventory files) is held to the
    // schema plugins are held to (sdk/docs/SCHEMA.md), once, here.
    for (size_t i = 0; i < inv.devices.size(); ++i) {
        const auto &dev = inv.devices[i];
        std::string where = "devices[" + std::to_string(i) + "]";
        if (!dev.is_object() || !dev.as_object().contains("id") || !dev.at("id").is_string())
            throw std::runtime_error(where + ": every device needs an \"id\"");
        if (auto errors = validate_device(dev, where); !errors.empty()) throw std::runtime_error(errors.front());
    }
    for (const auto &v : p->value().as_array()) {
        if (!v.is_object()) throw std::runtime_error("inventory plugin entry is not an object");
        const auto &po = v.as_object();
        PluginOutcome out{str(po, "plugin"), str(po, "status"), str(po, "reason"), {}, 0};
        if (auto s = po.find("seconds"); s != po.end() && s->value().is_number()) out.seconds = s->value().to_number<double>();
        if (auto n = po.find("notes"); n != po.end() && n->value().is_array())
            for (const auto &note : n->value().as_array())
                if (note.is_string()) out.notes.emplace_back(note.as_string());
        inv.plugins.push_back(std::move(out));
    }
    // Inventories written before probes became conditional have none: they ran.
    if (auto r = o.find("probes"); r != o.end() && r->value().is_object()) {
        const auto &ro = r->value().as_object();
        inv.probes.request = str(ro, "request");
        inv.probes.why = str(ro, "why");
        if (auto ran = ro.find("ran"); ran != ro.end() && ran->value().is_bool()) inv.probes.ran = ran->value().as_bool();
    }
    return inv;
}

const json::object *Inventory::find(const std::string &id) const {
    for (const auto &d : devices)
        if (d.is_object() && str(d.as_object(), "id") == id) return &d.as_object();
    return nullptr;
}

}  // namespace gpuhost
