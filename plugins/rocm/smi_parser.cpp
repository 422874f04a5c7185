#include "smi_parser.hpp"

#include "plugin_text.hpp"

#include <boost/json.hpp>
#include <sstream>

namespace gpuhost::rocm {

using namespace plugin_text;

std::vector<SmiGpu> parse_rocm_smi(const std::string &text) {
    std::vector<SmiGpu> gpus;
    bool header_seen = false;
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (starts_with(line, "GPU ") || starts_with(line, "Device ")) header_seen = true;
        if (!header_seen || line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
        std::string first = line.substr(0, line.find_first_of(" \t"));
        if (auto n = to_u64(first); n && *n < 1024) gpus.push_back({static_cast<int>(*n), {}, {}});
    }
    return gpus;
}

std::vector<SmiGpu> parse_amd_smi_list(const std::string &text) {
    std::vector<SmiGpu> gpus;
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (starts_with(line, "GPU:")) {
            auto n = to_u64(line.substr(4));
            if (n && *n < 1024) gpus.push_back({static_cast<int>(*n), {}, {}});
        } else if (!gpus.empty() && starts_with(line, "BDF:")) {
            gpus.back().bus_id = lower(trim(line.substr(4)));
        } else if (!gpus.empty() && starts_with(line, "UUID:")) {
            gpus.back().uuid = trim(line.substr(5));
        }
    }
    return gpus;
}

std::vector<std::string> parse_groups(const std::string &text) {
    std::string line = trim(lines(text).empty() ? std::string() : lines(text).front());
    if (auto colon = line.find(" : "); colon != std::string::npos) line = line.substr(colon + 3);
    std::istringstream words(line);
    std::vector<std::string> groups;
    for (std::string w; words >> w;) groups.push_back(w);
    return groups;
}

}  // namespace gpuhost::rocm

namespace gpuhost::rocm {

namespace {

namespace json = boost::json;

bool hex_id(const std::string &v) { return v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'); }

std::string product_name(const std::string &series, const std::string &model, const std::string &device_name) {
    if (!model.empty() && !hex_id(model) && model != "N/A") return model;
    auto open = series.find('['), close = series.rfind(']');
    if (open != std::string::npos && close != std::string::npos && close > open + 1)
        return trim(series.substr(open + 1, close - open - 1));
    if (!series.empty() && !hex_id(series) && series != "N/A") return series;
    if (!device_name.empty() && !hex_id(device_name) && device_name != "N/A") return device_name;
    return {};
}

const json::value *member(const json::object &o, std::initializer_list<const char *> keys) {
    for (const char *k : keys)
        if (auto it = o.find(k); it != o.end()) return &it->value();
    return nullptr;
}

std::string string_member(const json::object &o, std::initializer_list<const char *> keys) {
    const json::value *v = member(o, keys);
    if (!v) return {};
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_int64()) return std::to_string(v->as_int64());
    return {};
}

std::optional<json::value> parse_cut_json(const std::string &text) {
    boost::system::error_code ec;
    json::value doc = json::parse(text::close_truncated_json(text), ec);
    if (ec) return std::nullopt;
    return doc;
}

// "card3" -> 3
int card_index(const std::string &key, int fallback) {
    if (starts_with(key, "card"))
        if (auto n = to_u64(key.substr(4)); n && *n < 1024) return int(*n);
    return fallback;
}

}  // namespace

std::vector<SmiGpu> parse_rocm_smi_product(const std::string &text) {
    std::vector<SmiGpu> gpus;
    auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{') {
        auto doc = parse_cut_json(text);
        if (!doc || !doc->is_object()) return gpus;
        for (const auto &[key, value] : doc->as_object()) {
            if (!value.is_object() || !starts_with(std::string(key), "card")) continue;
            const auto &o = value.as_object();
            SmiGpu g;
            g.index = card_index(std::string(key), int(gpus.size()));
            g.name = product_name(string_member(o, {"Card Series", "Card series"}), string_member(o, {"Card Model", "Card model"}),
                                  string_member(o, {"Device Name"}));
            g.bus_id = text::normalize_pci_bus_id(string_member(o, {"PCI Bus"}));
            gpus.push_back(std::move(g));
        }
        return gpus;
    }
    // CSV: "device,Card series,Card model,Card vendor,Card SKU" then "card0,...".
    std::vector<std::string> columns;
    struct Fields { std::string series, model; };
    std::vector<Fields> fields;
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (starts_with(line, "device,")) {
            columns.clear();
            std::stringstream cells(line);
            for (std::string c; std::getline(cells, c, ',');) columns.push_back(lower(trim(c)));
            continue;
        }
        if (!columns.empty() && starts_with(line, "card")) {
            std::vector<std::string> cells_v;
            std::stringstream cells(line);
            for (std::string c; std::getline(cells, c, ',');) cells_v.push_back(trim(c));
            auto cell = [&](const char *name) {
                for (size_t i = 0; i < columns.size() && i < cells_v.size(); ++i)
                    if (columns[i] == name) return cells_v[i];
                return std::string();
            };
            SmiGpu g;
            g.index = card_index(cells_v[0], int(gpus.size()));
            g.name = product_name(cell("card series"), cell("card model"), {});
            gpus.push_back(std::move(g));
            continue;
        }
        // Text: "GPU[0]          : Card series:          Fiji [Radeon R9 FURY / NANO Series]"
        if (!starts_with(line, "GPU[")) continue;
        auto close = line.find(']');
        auto idx = close == std::string::npos ? std::nullopt : to_u64(line.substr(4, close - 4));
        auto colon = line.find(':', close == std::string::npos ? 0 : close);
        if (!idx || *idx >= 1024 || colon == std::string::npos) continue;
        std::string rest = trim(line.substr(colon + 1));
        auto kv = rest.find(':');
        if (kv == std::string::npos) continue;
        std::string key = lower(trim(rest.substr(0, kv))), value = trim(rest.substr(kv + 1));
        SmiGpu *g = nullptr;
        for (size_t i = 0; i < gpus.size(); ++i)
            if (gpus[i].index == int(*idx)) g = &gpus[i];
        if (!g) {
            gpus.push_back({int(*idx), {}, {}, {}, {}, {}});
            fields.push_back({});
            g = &gpus.back();
        }
        // A CSV row adds a GPU without fields: keep the two in step (a text line
        // after CSV rows indexed past the end; found by tests/fuzz).
        if (fields.size() < gpus.size()) fields.resize(gpus.size());
        auto &f = fields[size_t(g - gpus.data())];
        if (key == "card series") f.series = value;
        else if (key == "card model") f.model = value;
        g->name = product_name(f.series, f.model, {});
    }
    return gpus;
}

std::vector<SmiGpu> parse_amd_smi_static(const std::string &text) {
    std::vector<SmiGpu> gpus;
    auto brace = text.find_first_of("{[");
    bool json_form = brace != std::string::npos && text.find("GPU: ") == std::string::npos;
    if (json_form) {
        auto doc = parse_cut_json(text);
        if (!doc) return gpus;
        const json::array *list = doc->is_array() ? &doc->as_array() : nullptr;
        if (!list && doc->is_object())
            if (const auto *v = member(doc->as_object(), {"gpu_data"}); v && v->is_array()) list = &v->as_array();
        if (!list) return gpus;
        for (const auto &item : *list) {
            if (!item.is_object()) continue;
            const auto &o = item.as_object();
            SmiGpu g;
            g.index = int(gpus.size());
            if (const auto *v = member(o, {"gpu"}); v && v->is_int64()) g.index = int(v->as_int64());
            auto section = [&](const char *name) -> const json::object * {
                const auto *v = member(o, {name});
                return v && v->is_object() ? &v->as_object() : nullptr;
            };
            if (const auto *asic = section("asic")) {
                g.name = string_member(*asic, {"market_name"});
                g.gfx = string_member(*asic, {"target_graphics_version"});
            }
            if (const auto *bus = section("bus")) g.bus_id = text::normalize_pci_bus_id(string_member(*bus, {"bdf"}));
            if (const auto *drv = section("driver")) g.driver_version = string_member(*drv, {"version"});
            if (g.name == "N/A") g.name.clear();
            if (g.gfx == "N/A") g.gfx.clear();
            gpus.push_back(std::move(g));
        }
        return gpus;
    }
    std::string section;
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (starts_with(line, "GPU:")) {
            auto n = to_u64(trim(line.substr(4)));
            if (n && *n < 1024) gpus.push_back({int(*n), {}, {}, {}, {}, {}});
            section.clear();
            continue;
        }
        if (gpus.empty() || line.empty()) continue;
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
        if (value.empty()) {
            section = key;  // "ASIC:", "BUS:", "DRIVER:"
            continue;
        }
        if (value == "N/A") continue;
        auto &g = gpus.back();
        if (section == "ASIC" && key == "MARKET_NAME") g.name = value;
        else if (section == "ASIC" && key == "TARGET_GRAPHICS_VERSION") g.gfx = value;
        else if (section == "BUS" && key == "BDF") g.bus_id = text::normalize_pci_bus_id(value);
        else if (section == "DRIVER" && key == "VERSION") g.driver_version = value;
    }
    return gpus;
}

}  // namespace gpuhost::rocm
