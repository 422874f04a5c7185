// The SDK's shared helpers: text, PCI bus ids and opening a vendor library.
#include "gpuhost/text.hpp"
#include "gpuhost/vendor_library.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdlib>

using namespace gpuhost;

BOOST_AUTO_TEST_CASE(text_helpers) {
    BOOST_TEST(text::trim(" \tvalue \r\n") == "value");
    BOOST_TEST(text::trim(std::string("NVIDIA Jetson\0", 14)) == "NVIDIA Jetson");  // device-tree strings end in NUL
    BOOST_TEST(text::lines("a\r\nb\n").size() == 2u);
    BOOST_TEST(text::lines("a\r\nb\n")[0] == "a");
    BOOST_TEST(text::lower("0x10DE") == "0x10de");
    BOOST_TEST(text::uevent_value("PCI_ID=10DE:2684\nDRIVER=nvidia\n", "DRIVER").value_or("") == "nvidia");
    BOOST_TEST(!text::uevent_value("PCI_ID=10DE:2684\n", "DRIVER").has_value());
    BOOST_TEST(text::to_u64("0x1002").value_or(0) == 4098u);
    BOOST_TEST(!text::to_u64("99999999999999999999999").has_value());
    BOOST_TEST(text::hex16(4098) == "0x1002");
}

BOOST_AUTO_TEST_CASE(one_pci_bus_id_form) {
    BOOST_TEST(text::normalize_pci_bus_id("00000000:2A:00.0") == "0000:2a:00.0");
    BOOST_TEST(text::normalize_pci_bus_id("01:00.0") == "0000:01:00.0");
    BOOST_TEST(text::normalize_pci_bus_id("0000:01:00.0") == "0000:01:00.0");
    BOOST_TEST(text::normalize_pci_bus_id("N/A").empty());
}

BOOST_AUTO_TEST_CASE(vendor_library_override_refusal_and_dlerror) {
    ::unsetenv("GPUHOST_TEST_LIBRARY");
    auto refused = sdk::open_vendor_library("GPUHOST_TEST_LIBRARY", {"libc.so.6"}, false);
    BOOST_TEST(refused.refused);
    BOOST_TEST(!refused.handle);
    BOOST_TEST(refused.error == "not opened under a recorded sysroot (set GPUHOST_TEST_LIBRARY to test one)");

    auto live = sdk::open_vendor_library("GPUHOST_TEST_LIBRARY", {"libno-such-thing.so.9", "libc.so.6"}, true);
    BOOST_TEST(live.handle != nullptr, live.error);
    BOOST_TEST(live.path == "libc.so.6");
    BOOST_TEST(live.symbol("strlen") != nullptr);

    ::setenv("GPUHOST_TEST_LIBRARY", "/nonexistent/libfake.so", 1);
    auto forced = sdk::open_vendor_library("GPUHOST_TEST_LIBRARY", {"libc.so.6"}, false);
    ::unsetenv("GPUHOST_TEST_LIBRARY");
    BOOST_TEST(!forced.handle);
    BOOST_TEST(!forced.refused);
    BOOST_TEST(forced.error.find("GPUHOST_TEST_LIBRARY=/nonexistent/libfake.so: /nonexistent/libfake.so: cannot open") == 0,
               forced.error);
}
