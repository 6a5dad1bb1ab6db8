// Quoting file content in error messages.
//
// A message that echoes bytes from a file (a CSV field, a column name, a
// .npy header, a zip entry name) must stay one short, printable line: a
// binary file must not put control bytes or megabytes of text on a user's
// terminal or in a log. excerpt() quotes at most `max_chars` bytes between
// single quotes, escapes everything outside printable ASCII, and marks a
// cut with "..." after the closing quote:
//   excerpt("abc")              -> 'abc'
//   excerpt("a\x00\n'b")        -> 'a\x00\n\'b'
//   excerpt(std::string(100, 'x'), 4) -> 'xxxx'... (100 bytes)
// Thread safety: a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace xgrad {

inline constexpr std::size_t kExcerptChars = 40;

std::string excerpt(std::string_view bytes, std::size_t max_chars = kExcerptChars);

}  // namespace xgrad
