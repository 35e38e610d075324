// Bench only (bench/memory.ts starts the server with it and --expose-gc): SIGUSR2 asks for a full
// collection, so the bench reads the heap that is live rather than garbage not yet collected.
process.on('SIGUSR2', () => globalThis.gc?.());
