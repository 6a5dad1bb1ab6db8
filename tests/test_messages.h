// A predicate for BOOST_CHECK_EXCEPTION: the exception's message is exactly
// `expected` (the inner BOOST_TEST prints both strings when they differ).
//   BOOST_CHECK_EXCEPTION(f(), ShapeError, message_is("matmul: ..."));
//   BOOST_CHECK_EXCEPTION(f(), FileError, message_is<FileError>("..."));
#pragma once

#include <boost/test/unit_test.hpp>
#include <exception>
#include <string>

namespace xgrad::testing {

template <class E = std::exception>
auto message_is(const std::string& expected) {
  return [expected](const E& e) {
    BOOST_TEST(std::string(e.what()) == expected);
    return std::string(e.what()) == expected;
  };
}

}  // namespace xgrad::testing
