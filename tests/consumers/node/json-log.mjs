// Preloaded (`node --import ./json-log.mjs form.mjs`) by tests/consumers/run.mjs: each
// console.log becomes one JSON line of its arguments, so the README's example stays plain JS
// and the test reads exactly what it logged.
console.log = (...args) => process.stdout.write(JSON.stringify(args) + "\n");
