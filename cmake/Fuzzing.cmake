# -DCLIPPINGS_FUZZ=ON: everything is compiled for libFuzzer (coverage feedback) with
# AddressSanitizer and UndefinedBehaviorSanitizer, which turn memory errors and undefined
# behaviour into crashes the fuzzer reports. clang only; use a build directory of its own.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "CLIPPINGS_FUZZ needs clang (CMAKE_CXX_COMPILER=clang++), not "
                      "${CMAKE_CXX_COMPILER_ID}: libFuzzer is part of clang")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
