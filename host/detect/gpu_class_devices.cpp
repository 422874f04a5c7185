#include "gpu_class_devices.hpp"

#include "gpuhost/sysroot.hpp"
#include "gpuhost/text.hpp"

namespace gpuhost {

bool console_only(const std::string &vendor_id, const std::string &device_id) {
    // Every device of these vendors' display class is a 2D framebuffer:
    // ASPEED BMCs, Matrox G200e/eW (server consoles), the QEMU/Bochs
    // standard VGA and Cirrus emulations.
    for (const char *vendor : {"0x1a03", "0x102b", "0x1234", "0x1013"})
        if (vendor_id == vendor) return true;
    // Single devices of vendors that also make other things: VMware SVGA II,
    // the QEMU QXL card, Hyper-V's synthetic video, Huawei's iBMC VGA.
    static const char *const devices[][2] = {
        {"0x15ad", "0x0405"}, {"0x1b36", "0x0100"}, {"0x1414", "0x5353"}, {"0x19e5", "0x1711"}};
    for (const auto &d : devices)
        if (vendor_id == d[0] && device_id == d[1]) return true;
    return false;
}

std::vector<GpuClassDevice> gpu_class_devices(const std::string &sysroot) {
    sdk::Sysroot root(sysroot);
    std::vector<GpuClassDevice> out;
    for (const auto &bus : root.list("/sys/bus/pci/devices")) {
        std::string dir = "/sys/bus/pci/devices/" + bus;
        GpuClassDevice d;
        d.class_code = text::lower(root.read_line(dir + "/class").value_or(""));
        bool display = d.class_code.rfind("0x03", 0) == 0, accelerator = d.class_code.rfind("0x12", 0) == 0;
        if (!display && !accelerator) continue;
        d.vendor_id = text::lower(root.read_line(dir + "/vendor").value_or(""));
        d.device_id = text::lower(root.read_line(dir + "/device").value_or(""));
        if (console_only(d.vendor_id, d.device_id)) continue;
        std::string normal = text::normalize_pci_bus_id(bus);
        d.bus_id = normal.empty() ? bus : normal;
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace gpuhost
