# `cpack -G DEB` from a build tree: one package, gpuhost, with the tool, its
# plugins (lib/gpuhost/plugins, found beside bin/../lib by the host), the Lua
# scripts, the SDK, the man page, completions and documentation, all under /usr.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/gpuhost)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sdk/docs/ DESTINATION share/doc/gpuhost/sdk FILES_MATCHING PATTERN "*.md")

set(CPACK_PACKAGE_NAME gpuhost)
set(CPACK_PACKAGE_VENDOR "gpuhost")
set(CPACK_PACKAGE_CONTACT "gpuhost maintainers <gpuhost@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "finds accelerators, picks one for ML work, builds a Python environment proven to compute on it")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Libraries the binaries link (Boost, Lua, OpenMP, OpenBLAS, libstdc++) are
# found by dpkg-shlibdeps; what gpuhost runs or dlopens is declared by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3 (>= 3.9), python3-venv")
# Opened at run time when present: the Vulkan and OpenCL loaders, and a device
# each of them can show on a machine without a GPU.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libvulkan1, ocl-icd-libopencl1")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mesa-vulkan-drivers, pocl-opencl-icd, vulkan-tools, clinfo")
include(CPack)
