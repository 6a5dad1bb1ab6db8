// Atomic file writes: a file the project writes (checkpoint, metrics, plot)
// is either the old version or the complete new one, never a torn mix.
//
// The content goes to "<path>.tmp.<pid>" in the same directory, is flushed
// and fsync'ed, then renamed over `path` (rename is atomic within a file
// system); the directory is fsync'ed too so the rename survives a crash.
// Any failure removes the temporary file and throws FileError naming the
// path and the reason. A writer killed before the rename leaves its
// temporary file; the next write to the same path removes it once its pid
// is gone and it is a minute old (Note [Stale temporaries] in the .cpp).
#pragma once

#include <functional>
#include <string>

namespace xgrad {

// Calls write(temp_path) to produce the file, then moves it into place.
void write_atomically(const std::string& path,
                      const std::function<void(const std::string& temp_path)>& write);

// Writes `content` to `path` atomically.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace xgrad
