// bench/sdk_stream.mjs -- the official SDK's side of the benchmarks:
// follow sessions with client.beta.sessions.events.stream() and only
// parse (nothing is stored).  Usage:
//   SDK_MODULES=DIR node sdk_stream.mjs BASE_URL SESSION...
// where DIR is the node_modules that tests/node/ensure-sdk.sh prints.
// Prints {"events":N,"seconds":S} when every stream has ended.
import { pathToFileURL } from 'node:url';

const { default: Anthropic } = await import(pathToFileURL(
    `${process.env.SDK_MODULES}/@anthropic-ai/sdk/index.mjs`).href);

const [baseURL, ...sessions] = process.argv.slice(2);
const client = new Anthropic({ apiKey: 'sk-ant-bench', baseURL,
    maxRetries: 0 });
let events = 0;
const t0 = performance.now();

async function follow(id) {
	const stream = await client.beta.sessions.events.stream(id);
	for await (const ev of stream) {
		events++;
		if (ev.type === 'session.status_terminated')
			break;
	}
}

// The fan-in benchmark stops us with SIGTERM: report what arrived.
process.on('SIGTERM', () => {
	console.log(JSON.stringify({ events,
	    seconds: (performance.now() - t0) / 1000 }));
	process.exit(0);
});
await Promise.all(sessions.map(follow));
console.log(JSON.stringify({ events,
    seconds: (performance.now() - t0) / 1000 }));
