// tests/conformance/sdk.mjs -- the official TypeScript SDK against
// "pilothouse serve --listen": every endpoint the harness serves, streaming
// with for await, confirmations, a custom tool, an interrupt, pagination
// and the SDK's typed errors.  Prints TAP; run by sdk.sh.
//
// Environment: PH_SDK (the node_modules path), PH_BASE_URL, PH_KEY.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.PH_SDK, 'x.js'));
const { default: Anthropic, NotFoundError, BadRequestError, ConflictError,
    AuthenticationError } = require('@anthropic-ai/sdk');

let n = 0, failed = 0;
function ok(cond, what) {
	n++;
	if (!cond) failed++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
	return cond;
}
function is(got, want, what) {
	const g = JSON.stringify(got), w = JSON.stringify(want);
	if (!ok(g === w, what))
		console.log(`#   got:  ${g}\n#   want: ${w}`);
}
async function throws(p, cls, what) {
	try {
		await p;
		ok(false, `${what} (no error)`);
	} catch (e) {
		if (!ok(e instanceof cls, what))
			console.log(`#   got ${e?.constructor?.name}: ${e?.message}`);
		return e;
	}
}

const client = new Anthropic({ baseURL: process.env.PH_BASE_URL,
    apiKey: process.env.PH_KEY, maxRetries: 0, timeout: 20000 });
const beta = client.beta;

// Follow one session's stream; wait() resolves when a predicate holds.
class Follower {
	constructor(stream) {
		this.events = [];
		this.waiters = [];
		this.done = (async () => {
			for await (const ev of stream) {
				this.events.push(ev);
				this.poke();
			}
		})();
	}
	poke() {
		this.waiters = this.waiters.filter(w => {
			const i = this.events.findIndex((e, k) => k >= w.from && w.pred(e));
			if (i < 0)
				return true;
			clearTimeout(w.timer);
			w.resolve(i);
			return false;
		});
	}
	// Events since index from up to and including the first matching one.
	wait(pred, from = 0, ms = 10000) {
		return new Promise((resolve, reject) => {
			const w = { pred, from, resolve: i => resolve(this.events.slice(from, i + 1)) };
			w.timer = setTimeout(() => reject(new Error('timed out; saw ' +
			    this.events.slice(from).map(e => e.type).join(','))), ms);
			this.waiters.push(w);
			this.poke();
		});
	}
}
const idle = e => e.type === 'session.status_idle';
const types = evs => evs.map(e => e.type);
const msg = text => ({ type: 'user.message', content: [{ type: 'text', text }] });

async function main() {
	// Authentication: a wrong key is the SDK's AuthenticationError.
	const bad = new Anthropic({ baseURL: process.env.PH_BASE_URL,
	    apiKey: 'wrong', maxRetries: 0 });
	await throws(bad.beta.agents.list(), AuthenticationError,
	    'a wrong key is AuthenticationError (401)');

	// Agents.
	const toolset = { type: 'agent_toolset_20260401',
	    configs: [{ name: 'bash', permission_policy: { type: 'always_ask' } }] };
	const custom = { type: 'custom', name: 'lookup', description: 'Look a key up.',
	    input_schema: { type: 'object', properties: { key: { type: 'string' } } } };
	const agent = await beta.agents.create({ name: 'conf', model: 'scripted:sdk-conformance',
	    tools: [toolset, custom] });
	ok(/^agent_/.test(agent.id), 'agents.create returns an agent id');
	is([agent.type, agent.version, agent.name], ['agent', 1, 'conf'], 'agent type, version 1, name');
	is(agent.tools.map(t => t.type), ['agent_toolset_20260401', 'custom'], 'agent tools kept in order');
	const got = await beta.agents.retrieve(agent.id);
	is(got.id, agent.id, 'agents.retrieve');
	const up = await beta.agents.update(agent.id, { version: 1, description: 'v2' });
	is([up.version, up.description], [2, 'v2'], 'agents.update bumps the version');
	const stale = await throws(beta.agents.update(agent.id, { version: 1, description: 'v3' }),
	    ConflictError, 'agents.update with a stale version is ConflictError');
	is(stale?.status, 409, 'the conflict is status 409');
	const vers = [];
	for await (const v of beta.agents.versions.list(agent.id))
		vers.push(v.version);
	is(vers.sort(), [1, 2], 'agents.versions.list lists both versions');
	const other = await beta.agents.create({ name: 'other', model: 'scripted:echo' });
	const ids = [];
	for await (const a of beta.agents.list({ limit: 1 }))
		ids.push(a.id);
	ok(ids.includes(agent.id) && ids.includes(other.id) && ids.length === 2,
	    'agents.list auto-paginates with limit 1');
	const arch = await beta.agents.archive(other.id);
	ok(arch.archived_at !== null, 'agents.archive sets archived_at');
	const live = [];
	for await (const a of beta.agents.list())
		live.push(a.id);
	is(live, [agent.id], 'agents.list hides archived agents');
	await throws(beta.agents.retrieve('agent_nope'), NotFoundError,
	    'retrieving an unknown agent is NotFoundError');
	await throws(beta.agents.create({ name: 'x' }), BadRequestError,
	    'an agent without a model is BadRequestError');

	// Environments.
	const env = await beta.environments.create({ name: 'conf-env' });
	ok(/^env_/.test(env.id), 'environments.create returns an env id');
	is(env.config?.networking?.type, 'limited', 'environment networking defaults to limited');
	is((await beta.environments.retrieve(env.id)).name, 'conf-env', 'environments.retrieve');
	is((await beta.environments.update(env.id, { description: 'd' })).description, 'd',
	    'environments.update');
	const env2 = await beta.environments.create({ name: 'gone' });
	const envs = [];
	for await (const e of beta.environments.list())
		envs.push(e.id);
	ok(envs.includes(env.id) && envs.includes(env2.id), 'environments.list');
	ok((await beta.environments.archive(env2.id)).archived_at !== null,
	    'environments.archive sets archived_at');
	const del = await beta.environments.delete(env2.id);
	is([del.id, del.type], [env2.id, 'environment_deleted'], 'environments.delete');
	await throws(beta.environments.retrieve(env2.id), NotFoundError,
	    'a deleted environment is NotFoundError');

	// Sessions.
	const s = await beta.sessions.create({ agent: agent.id, environment_id: env.id,
	    title: 'main' });
	ok(/^sesn_/.test(s.id), 'sessions.create returns a session id');
	is([s.status, s.agent.id, s.agent.version], ['idle', agent.id, 2],
	    'a new session is idle and pins the latest agent version');
	is((await beta.sessions.update(s.id, { title: 'renamed' })).title, 'renamed',
	    'sessions.update');
	is((await beta.sessions.retrieve(s.id)).title, 'renamed', 'sessions.retrieve');
	const extra = [];
	for (let i = 0; i < 3; i++)
		extra.push((await beta.sessions.create({ agent: agent.id,
		    environment_id: env.id, title: `extra${i}` })).id);
	const pages = [];
	let page = await beta.sessions.list({ limit: 2, agent_id: agent.id });
	for (;;) {
		pages.push(page.data.map(x => x.id));
		if (!page.hasNextPage())
			break;
		page = await page.getNextPage();
	}
	is(pages.flat().length, 4, 'sessions.list with agent_id finds all four');
	ok(pages.length >= 2, `sessions.list pages with limit 2 (${pages.length} pages)`);
	const idleOnes = [];
	for await (const x of beta.sessions.list({ statuses: ['running'] }))
		idleOnes.push(x.id);
	is(idleOnes, [], 'sessions.list filters by status');
	ok((await beta.sessions.archive(extra[0])).archived_at !== null, 'sessions.archive');
	const del2 = await beta.sessions.delete(extra[1]);
	is([del2.id, del2.type], [extra[1], 'session_deleted'], 'sessions.delete');
	await throws(beta.sessions.retrieve(extra[1]), NotFoundError,
	    'a deleted session is NotFoundError');
	await throws(beta.sessions.create({ agent: 'agent_nope', environment_id: env.id }),
	    NotFoundError, 'a session for an unknown agent is NotFoundError');

	// Streaming: open the stream, then send.
	const fol = new Follower(await beta.sessions.events.stream(s.id));
	const sent = await beta.sessions.events.send(s.id, { events: [msg('hello sdk')] });
	is(sent.data.map(e => [e.type, e.processed_at]), [['user.message', null]],
	    'events.send echoes the queued user.message');
	let evs = await fol.wait(idle);
	// Client events appear twice (api.md 7.2): queued, then processed.
	is(types(evs).filter(t => t !== 'session.usage'), ['user.message', 'session.status_running',
	    'user.message', 'span.model_request_start', 'agent.message', 'span.model_request_end',
	    'session.status_idle'], 'an echo turn streams the exact event sequence');
	is(evs.find(e => e.type === 'agent.message')?.content, [{ type: 'text', text: 'hello sdk' }],
	    'agent.message echoes the text');
	is(evs.at(-1).stop_reason, { type: 'end_turn' }, 'the turn ends with end_turn');
	const um = evs.filter(e => e.type === 'user.message');
	is(um.map(e => [e.id, e.processed_at === null]), [[sent.data[0].id, true],
	    [sent.data[0].id, false]], 'the sent user.message streams queued, then processed');

	// always_ask: one call allowed, one denied.
	let from = fol.events.length;
	await beta.sessions.events.send(s.id, { events: [msg('confirm please')] });
	evs = await fol.wait(idle, from);
	const tu1 = evs.find(e => e.type === 'agent.tool_use');
	is([tu1?.name, tu1?.input, tu1?.evaluated_permission], ['bash',
	    { command: 'echo allowed-run' }, 'ask'], 'agent.tool_use asks for bash');
	is(evs.at(-1).stop_reason, { type: 'requires_action', event_ids: [tu1?.id] },
	    'idle with requires_action names the pending tool_use');
	from = fol.events.length;
	await beta.sessions.events.send(s.id, { events: [{ type: 'user.tool_confirmation',
	    tool_use_id: tu1.id, result: 'allow' }] });
	evs = await fol.wait(idle, from);
	const tr1 = evs.find(e => e.type === 'agent.tool_result');
	ok(tr1?.tool_use_id === tu1.id && !tr1.is_error &&
	    JSON.stringify(tr1.content).includes('allowed-run'),
	    'the allowed call ran in the sandbox');
	const tu2 = evs.find(e => e.type === 'agent.tool_use');
	is(evs.at(-1).stop_reason, { type: 'requires_action', event_ids: [tu2?.id] },
	    'the second call waits for a confirmation');
	from = fol.events.length;
	await beta.sessions.events.send(s.id, { events: [{ type: 'user.tool_confirmation',
	    tool_use_id: tu2.id, result: 'deny', deny_message: 'not that one' }] });
	evs = await fol.wait(idle, from);
	const tr2 = evs.find(e => e.type === 'agent.tool_result');
	ok(tr2?.tool_use_id === tu2.id && tr2.is_error &&
	    JSON.stringify(tr2.content).includes('not that one'),
	    'the denied call gets an error result carrying the deny_message');
	ok(!JSON.stringify(evs).includes('never-run\\n'), 'the denied command never ran');
	is(evs.at(-1).stop_reason, { type: 'end_turn' }, 'the turn then ends with end_turn');

	// A custom tool answered with user.custom_tool_result.
	from = fol.events.length;
	await beta.sessions.events.send(s.id, { events: [msg('custom tool')] });
	evs = await fol.wait(idle, from);
	const cu = evs.find(e => e.type === 'agent.custom_tool_use');
	is([cu?.name, cu?.input], ['lookup', { key: 'k1' }], 'agent.custom_tool_use');
	is(evs.at(-1).stop_reason, { type: 'requires_action', event_ids: [cu?.id] },
	    'the custom tool waits with requires_action');
	from = fol.events.length;
	await beta.sessions.events.send(s.id, { events: [{ type: 'user.custom_tool_result',
	    custom_tool_use_id: cu.id, content: [{ type: 'text', text: 'v1' }] }] });
	evs = await fol.wait(idle, from);
	is(types(evs).filter(t => t !== 'session.usage'), ['user.custom_tool_result',
	    'session.status_running', 'span.model_request_start', 'agent.message',
	    'span.model_request_end', 'session.status_idle'],
	    'the custom tool result resumes the turn');
	is(evs.at(-1).stop_reason, { type: 'end_turn' }, 'and it ends with end_turn');

	// Events list: >= 3 pages with a limit, then auto-pagination.
	let ep = await beta.sessions.events.list(s.id, { limit: 5 });
	const listed = [...ep.data];
	let npages = 1;
	while (ep.hasNextPage()) {
		ep = await ep.getNextPage();
		listed.push(...ep.data);
		npages++;
	}
	ok(npages >= 3, `events.list pages with limit 5 (${npages} pages)`);
	const all = [];
	for await (const e of beta.sessions.events.list(s.id, { limit: 4 }))
		all.push(e.id);
	is(all, listed.map(e => e.id), 'for await auto-pagination lists the same events');
	// History is the stream without its queued echoes, in the same order
	// (processed_at order: status_running before the processed message).
	const seen = fol.events.filter(e => e.processed_at !== null);
	is(listed.slice(0, listed.length - seen.length).map(e => e.type), ['session.updated'],
	    'before the stream opened the log held only the title update');
	is(all.slice(-seen.length), seen.map(e => e.id),
	    'the log holds exactly what the stream delivered, in stream order');
	const firstTurn = listed.slice(1, 3).map(e => e.type);
	is(firstTurn, ['session.status_running', 'user.message'],
	    'the log lists session.status_running before the processed user.message');
	const tus = await beta.sessions.events.list(s.id, { types: ['agent.tool_use'] });
	is(tus.data.map(e => e.id), [tu1.id, tu2.id], 'events.list filters by types');
	await throws(beta.sessions.events.send(s.id, { events: [{ type: 'no.such' }] }),
	    BadRequestError, 'an unknown event type is BadRequestError');
	await throws(beta.sessions.events.send(s.id, { events: [{ type: 'user.tool_confirmation',
	    tool_use_id: tu1.id, result: 'allow' }] }), BadRequestError,
	    'confirming an answered call is BadRequestError');
	await throws(beta.sessions.events.list('sesn_nope'), NotFoundError,
	    'events of an unknown session is NotFoundError');

	// An interrupt of a running tool.
	const sl = await beta.sessions.create({ agent: (await beta.agents.create({ name: 'sleepy',
	    model: 'scripted:sleepy',
	    tools: [{ type: 'agent_toolset_20260401' }] })).id, environment_id: env.id });
	const f2 = new Follower(await beta.sessions.events.stream(sl.id));
	await beta.sessions.events.send(sl.id, { events: [msg('sleep')] });
	const pre = await f2.wait(e => e.type === 'span.model_request_end');
	is(types(pre), ['user.message', 'session.status_running', 'user.message',
	    'span.model_request_start', 'agent.message', 'agent.tool_use', 'span.model_request_end'],
	    'the sleepy turn asks for bash sleep 60');
	const t0 = Date.now();
	from = f2.events.length;
	await beta.sessions.events.send(sl.id, { events: [{ type: 'user.interrupt' }] });
	evs = await f2.wait(idle, from).catch(e => {
		console.log('# after the interrupt: ' + JSON.stringify(f2.events.slice(from)));
		throw e;
	});
	const ms = Date.now() - t0;
	const tr = evs.find(e => e.type === 'agent.tool_result');
	ok(tr?.is_error === true, 'the interrupted sleep gets an error result');
	is(evs.at(-1).stop_reason, { type: 'end_turn' }, 'the interrupt ends with status_idle end_turn');
	ok(ms < 2000, `the interrupt took ${ms} ms`);
	is(types(evs).filter(t => t !== 'session.usage'), ['user.interrupt', 'agent.tool_result',
	    'session.status_idle'], 'interrupt, the killed call\'s result, idle: nothing else');
	is(tr?.content, [{ type: 'text', text: 'interrupted by user' }],
	    'the killed call says it was interrupted');
	is((await beta.sessions.retrieve(sl.id)).status, 'idle', 'the session is idle again');
}

try {
	await main();
} catch (e) {
	ok(false, `unexpected ${e?.constructor?.name}: ${e?.stack ?? e}`);
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
