// The small text readers every sysfs and tool parser shares (sdk text.hpp)
// and the host's bus id normalisation: uevent files, numbers that may be hex,
// PCI bus ids, and JSON cut short by a killed tool.
#include "fuzz_support.hpp"

#include "detect/inventory.hpp"
#include "gpuhost/text.hpp"

#include <boost/json.hpp>

static bool is_bus_id(const std::string &s) {  // dddd:bb:dd.f, lower-case hex
    if (s.size() != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11})
        if (!std::isxdigit(static_cast<unsigned char>(s[i])) || std::isupper(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    std::string in = fuzz::text(data, size);
    for (const char *key : {"DRIVER", "PCI_ID", "PCI_SLOT_NAME", "PCI_SUBSYS_ID"}) text::uevent_value(in, key);
    for (const auto &line : text::lines(in)) {
        FUZZ_CHECK(line.find('\n') == std::string::npos, line);
        auto trimmed = text::trim(line);
        // hex16 writes 16-bit PCI ids ("0x1002"): those read back.
        if (auto n = text::to_u64(trimmed); n && *n <= 0xffff) FUZZ_CHECK(text::to_u64(text::hex16(*n)) == n, trimmed);
        auto bus = text::normalize_pci_bus_id(trimmed);
        FUZZ_CHECK(bus.empty() || is_bus_id(bus), trimmed + " -> " + bus);
        FUZZ_CHECK(bus.empty() || text::normalize_pci_bus_id(bus) == bus, bus);
        normalize_bus_id(trimmed);
    }
    auto closed = text::close_truncated_json(in);
    boost::system::error_code ec;
    auto whole = boost::json::parse(in, ec);
    if (!ec && (whole.is_object() || whole.is_array())) {
        boost::system::error_code ec2;
        auto back = boost::json::parse(closed, ec2);
        FUZZ_CHECK(!ec2 && back == whole, in + " -> " + closed);
    }
    return 0;
}
