/**
 * Reading zip archives (wheels, sdists) over any random-access source: bytes in memory, a file,
 * or HTTP range requests; entry names are checked so no path can escape its destination.
 */
export {};
