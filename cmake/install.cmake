# Installs the libraries, their public headers and a CMake package, so that
# another project can `find_package(xgrad)` and link `xgrad::xgrad` (or one
# room, e.g. `xgrad::core`). Kernels (ops/kernels/) are internal: their
# headers are not installed and no installed header includes them.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS ${XGRAD_LIBRARIES} EXPORT xgradTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(dir framework ops models)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/xgrad/${dir}
          FILES_MATCHING PATTERN "*.h"
          PATTERN "kernels" EXCLUDE)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/tools/gradcheck/gradcheck_main.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/xgrad/tools/gradcheck)
install(FILES ${PROJECT_SOURCE_DIR}/xgrad.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/xgrad)
install(EXPORT xgradTargets NAMESPACE xgrad:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/xgrad)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/xgradConfig.cmake.in
  ${PROJECT_BINARY_DIR}/xgradConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/xgrad)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/xgradConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/xgradConfig.cmake ${PROJECT_BINARY_DIR}/xgradConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/xgrad)
