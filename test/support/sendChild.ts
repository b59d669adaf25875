// One send in a process of its own, for the hourly-limit tests across processes: it loads the core,
// says "ready", waits for a line on stdin (so that every child starts at the same moment), sends the
// send fixture to 127.0.0.1:<port> with the given state file and limit, and prints the outcome as JSON.
// Usage: node out/test/support/sendChild.js PORT STATE_PATH MAX_PER_HOUR PROFILE_NAME
import { sendMessage } from '../../src/core/send';
import { prepareFixture, profileFor } from '../unit/send/helpers';

const [port, statePath, maxPerHour, name] = process.argv.slice(2);
const { message } = prepareFixture();
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  sendMessage(message, profileFor(Number(port), { name, maxPerHour: Number(maxPerHour) }), {}, { rateLimitStatePath: statePath }).then(
    (outcome) => {
      process.stdout.write(JSON.stringify(outcome) + '\n');
      process.exit(0);
    },
    (err: Error) => {
      process.stdout.write(JSON.stringify({ status: 'threw', reason: err.message }) + '\n');
      process.exit(1);
    },
  );
});
