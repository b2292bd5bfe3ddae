# ccache, mold, warnings and sanitizers.
if(TFC_CCACHE)
  find_program(CCACHE_PROGRAM ccache)
  if(CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  endif()
endif()

find_program(MOLD_PROGRAM mold)
if(MOLD_PROGRAM AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_link_options(-fuse-ld=mold)
endif()

set(TFC_WARNINGS -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
# Release code is tuned for the build machine's own vector units; the reference kernels stay exact.
set(TFC_OPT_FLAGS $<$<CONFIG:Release,RelWithDebInfo>:-O3 -march=native -fno-math-errno>)

if(TFC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing (docs/fuzzing.md): libFuzzer needs clang. Everything is built with coverage
# instrumentation and ASan + UBSan; the fuzz targets add -fsanitize=fuzzer when linking (fuzz/).
if(TFC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TFC_FUZZ needs clang (libFuzzer); got ${CMAKE_CXX_COMPILER_ID}. "
                        "Configure with CXX=clang++-14, or use fuzz/run which does.")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# tfc_add_module_tests(<module>): one test executable per module, built from every *_test.cpp
# beside the module's sources.
function(tfc_add_module_tests module)
  file(GLOB srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tfc/${module}/*_test.cpp)
  if(NOT srcs)
    return()
  endif()
  set(target tfc_${module}_tests)
  add_executable(${target} ${srcs})
  target_link_libraries(${target} PRIVATE tfc tfc_test_harness GTest::gtest_main)
  target_compile_options(${target} PRIVATE ${TFC_WARNINGS} ${TFC_OPT_FLAGS})
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "TFC_SOURCE_DIR=${PROJECT_SOURCE_DIR};OMP_NUM_THREADS=2;OMP_WAIT_POLICY=PASSIVE")
endfunction()
