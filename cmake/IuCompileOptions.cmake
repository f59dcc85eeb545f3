# Warnings-as-errors and sanitizer flags shared by every target of the project.
add_compile_options(-Wall -Wextra -Werror -Wno-missing-field-initializers)
# Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>;
# g++ 12 in C++20 mode rejects that. Force-include it for C++ sources.
add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-include$<SEMICOLON>utility>)

if(IU_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(IU_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  # GCC 12 warns (-Wtsan) that ThreadSanitizer does not model std::atomic_thread_fence, which
  # Boost.Asio's handler completion uses; Asio's queues synchronise through mutexes TSan does
  # see, so the warning (an error under -Werror) is silenced rather than Asio's fences removed.
  add_compile_options($<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
  add_link_options(-fsanitize=thread)
elseif(NOT IU_SANITIZE STREQUAL "")
  message(FATAL_ERROR "IU_SANITIZE must be '', 'address' or 'thread' (got '${IU_SANITIZE}')")
endif()
