// tests/integration/brain_sdk.mjs -- read the recorded Anthropic streams
// with the official SDK, to prove they are what the real API sends.
//
// node brain_sdk.mjs NODE_MODULES BASE_URL DATA NAME...
//
// The stand-in at BASE_URL answers one request per NAME, in order, with
// DATA/NAME.sse.  Each is read with client.messages.stream() and the
// final message compared with DATA/NAME.trace, the events pilothouse's
// parser produced from the same bytes: the same blocks in the same order,
// the same text, thinking, signatures and tool inputs, the same stop
// reason, stop details and usage.  A trace that ends in a failure must
// make the SDK fail too.  Prints TAP.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [modules, baseURL, data, ...names] = process.argv.slice(2);
const require = createRequire(modules + '/');
const { default: Anthropic } = require('@anthropic-ai/sdk');
const client = new Anthropic({ apiKey: 'sk-ant-sdk-check', baseURL, maxRetries: 0 });

let n = 0, failed = 0;
function ok(pass, what, detail) {
	n++;
	if (!pass) failed++;
	console.log(`${pass ? '' : 'not '}ok ${n} - ${what}`);
	if (!pass && detail !== undefined)
		console.log('# ' + JSON.stringify(detail));
}

// The blocks a trace describes, and how it ended.
function readTrace(name) {
	const blocks = [];
	let stop = null, details = null, usage = null, result = null;
	for (const line of readFileSync(`${data}/${name}.trace`, 'utf8').split('\n')) {
		const m = line.match(/^(\S+) ?(.*)$/);
		if (!m) continue;
		const [, kind, rest] = m;
		if (kind === 'block') {
			const [, type, id, tname] = rest.split(' ');
			blocks.push({ type, id, name: tname, text: '', thinking: '', signature: '', json: '' });
		} else if (['text', 'thinking', 'signature', 'json'].includes(kind)) {
			blocks[blocks.length - 1][kind] += JSON.parse(rest);
		} else if (kind === 'stop') {
			const f = rest.split(' ');
			stop = f[0];
			usage = Object.fromEntries(f.slice(1).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
		} else if (kind === 'details') {
			details = JSON.parse(rest);
		} else if (kind === 'result') {
			result = rest;
		}
	}
	return { blocks, stop, details, usage, result };
}

// JSON with the keys of every object sorted, for comparing.
function canon(v) {
	if (Array.isArray(v))
		return '[' + v.map(canon).join(',') + ']';
	if (v !== null && typeof v === 'object')
		return '{' + Object.keys(v).sort().map((k) =>
		    JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
	return JSON.stringify(v);
}

const stops = { end_turn: 'end_turn', tool_use: 'tool_use', refusal: 'refusal',
    max_tokens: 'max_tokens', pause_turn: 'pause_turn',
    context: 'model_context_window_exceeded' };

for (const name of names) {
	const want = readTrace(name);
	let msg = null, error = null;
	try {
		const stream = client.messages.stream({ model: 'claude-sonnet-5-5',
		    max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] });
		msg = await stream.finalMessage();
	} catch (e) {
		error = e;
	}
	if (want.result !== 'ok') {
		ok(error !== null, `${name}: the SDK fails too (${want.result})`,
		    error ? undefined : msg);
		continue;
	}
	if (error !== null) {
		ok(false, `${name}: the SDK reads it`, String(error));
		continue;
	}
	// The SDK keeps every block; pilothouse skips server tool blocks.
	const got = msg.content.filter((b) => b.type !== 'server_tool_use');
	ok(got.length === want.blocks.length &&
	    got.every((b, i) => b.type === want.blocks[i].type),
	    `${name}: the same blocks in the same order`,
	    got.map((b) => b.type));
	got.forEach((b, i) => {
		const w = want.blocks[i];
		if (w === undefined) return;
		let same;
		if (b.type === 'text')
			same = b.text === w.text;
		else if (b.type === 'thinking')
			same = b.thinking === w.thinking && b.signature === w.signature;
		else if (b.type === 'redacted_thinking')
			same = b.data === w.signature;
		else if (b.type === 'tool_use')
			same = b.id === w.id && b.name === w.name &&
			    JSON.stringify(b.input) === JSON.stringify(JSON.parse(w.json || '{}'));
		ok(same, `${name}: block ${i} (${b.type}) has the same content`, b);
	});
	ok(msg.stop_reason === stops[want.stop], `${name}: stop reason ${msg.stop_reason}`);
	ok(canon(msg.stop_details ?? null) === canon(want.details),
	    `${name}: the same stop details`, msg.stop_details);
	ok(msg.usage.input_tokens === want.usage.input &&
	    msg.usage.output_tokens === want.usage.output &&
	    (msg.usage.cache_read_input_tokens ?? 0) === want.usage.cache_read &&
	    (msg.usage.cache_creation_input_tokens ?? 0) === want.usage.cache_write,
	    `${name}: the same usage`, msg.usage);
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
