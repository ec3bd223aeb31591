// Empty: CSQLite is its header (include/CSQLite.h); SwiftPM builds a C target from a source file.
