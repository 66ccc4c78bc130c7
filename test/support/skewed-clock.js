// Preloaded into a server process (`NODE_OPTIONS=--require …/skewed-clock.js`) to run it as an
// instance whose wall clock is off: Date.now() moved by CLOCK_SKEW_MS (ms, negative for behind).
// The machine's clock is shared by every process, so a test cannot move one instance's otherwise.
const skewMs = Number(process.env.CLOCK_SKEW_MS || 0);
const realNow = Date.now;
Date.now = () => realNow() + skewMs;
