#!/usr/bin/env python3
# gen-session.py -- write a realistic recorded session, and what is true of it.
#
# Usage: gen-session.py OUTDIR [TURNS] [SEED]
#
# Writes OUTDIR/session.jsonl: one stored event per line, as the API's
# events list gives them (api.md section 6), in log order, with ids that
# link (tool_use -> result and confirmation, span start -> end,
# requires_action -> the pending ids, custom tool use -> its result),
# model errors with retries, an exhausted error, denials with deny
# messages, an interrupt, a subagent thread with cross-posted events, a
# custom tool, file reads/writes/edits, unicode and hostile text (ESC
# sequences, OSC 52, bidi overrides, NUL, Markdown fences, a 200 KB
# line).
#
# Writes OUTDIR/expected.txt ("key value" lines) with the facts a report
# must state, computed here by counting what was generated, independently
# of pilothouse's C code, and OUTDIR/files/PATH with the final content of
# every file the session wrote or edited (also listed as "file PATH").
# Deterministic: the same TURNS and SEED give the same bytes.
import json
import os
import random
import sys

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
HOSTILE = [
    "clear screen \x1b[2J\x1b[H and title \x1b]0;pwned\x07",
    "clipboard \x1b]52;c;cm0gLXJmIH4K\x07 copied",
    "bidi \u202egnp.exe\u202c and isolate \u2066x\u2069",
    "nul byte here:\x00:after",
    "```\n# not a heading\n```\n<script>alert(1)</script> | pipe | [link](javascript:x)",
    "C1 \x9b31m CSI and DCS \x1bP1$r\x1b\\ end",
]
UNICODE = [
    "Ünïcödé façade — naïve café",
    "日本語のテキストと絵文字 🚀👩‍💻",
    "Ελληνικά и кириллица, עברית",
]
FILES0 = {
    "src/main.c": "#include <stdio.h>\n\nint\nmain(void)\n{\n\tprintf(\"hello\\n\");\n\treturn 0;\n}\n",
    "README.md": "# demo\n\nA small demo project.\n",
    "src/util.c": "int\nadd(int a, int b)\n{\n\treturn a + b;\n}\n",
    "docs/ünïcode.txt": "ligne 1 — été\nligne 2\n",
}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t = 1_795_000_000_000_000  # µs, 2026-11-18
        self.events = []
        self.n = {k: 0 for k in (
            "model_requests", "model_request_errors", "tool_uses",
            "tool_errors", "allowed", "denied", "interrupts", "errors",
            "retries", "user_turns", "input_tokens", "output_tokens",
            "cache_read_tokens", "cache_creation_tokens", "custom_tool_uses",
            "threads")}
        self.status = "unknown"
        self.stop_reason = ""
        self.run_since = None
        self.active_us = 0
        self.by_tool = {}
        self.deny_messages = []
        self.fs = dict(FILES0)        # what the workspace holds
        self.touched = []             # paths written or edited, in order
        self.hostile_used = 0
        self.ids = set()

    def id(self, prefix="sevt_"):
        while True:
            s = prefix + "011C" + "".join(self.r.choice(B62) for _ in range(20))
            if s not in self.ids:
                self.ids.add(s)
                return s

    def ts(self):
        self.t += self.r.randint(20_000, 2_500_000)
        sec, us = divmod(self.t, 1_000_000)
        import time
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)) + ".%06dZ" % us

    def ev(self, type_, **kw):
        e = {"type": type_, "id": self.id(), "processed_at": self.ts()}
        e.update(kw)
        self.events.append(e)
        if type_ == "session.status_running":
            self.status, self.stop_reason = "running", ""
            if self.run_since is None:
                self.run_since = self.t
        elif type_ == "session.status_rescheduled":
            self.status = "rescheduling"
        elif type_ == "session.status_idle":
            self.status = "idle"
            self.stop_reason = kw["stop_reason"]["type"]
            if self.run_since is not None:
                self.active_us += self.t - self.run_since
                self.run_since = None
        return e

    def text(self, s):
        return [{"type": "text", "text": s}]

    def hostile(self):
        s = HOSTILE[self.hostile_used % len(HOSTILE)]
        self.hostile_used += 1
        return s

    def model_request(self, error=False):
        start = self.ev("span.model_request_start")
        self.n["model_requests"] += 1
        u = {"input_tokens": self.r.randint(200, 4000),
             "output_tokens": self.r.randint(20, 900),
             "cache_creation_input_tokens": self.r.randint(0, 500),
             "cache_read_input_tokens": self.r.randint(0, 20000),
             "speed": "standard"}
        if error:
            u = {"input_tokens": 0, "output_tokens": 0,
                 "cache_creation_input_tokens": 0,
                 "cache_read_input_tokens": 0}
            self.n["model_request_errors"] += 1
        self.n["input_tokens"] += u["input_tokens"]
        self.n["output_tokens"] += u["output_tokens"]
        self.n["cache_creation_tokens"] += u["cache_creation_input_tokens"]
        self.n["cache_read_tokens"] += u["cache_read_input_tokens"]
        self.ev("span.model_request_end", model_request_start_id=start["id"],
                is_error=error, model_usage=u)

    def count_use(self, tool):
        self.n["tool_uses"] += 1
        self.by_tool[tool] = self.by_tool.get(tool, [0, 0])
        self.by_tool[tool][0] += 1

    def result(self, use, tool, text, is_error, typ="agent.tool_result",
               key="tool_use_id", thread=None):
        kw = {key: use["id"], "content": self.text(text), "is_error": is_error}
        self.ev(typ, **kw)
        if is_error:
            self.n["tool_errors"] += 1
            self.by_tool[tool][1] += 1

    def file_op(self, thread=None):
        """A read, write or edit with a known effect on self.fs."""
        kind = self.r.choice(["read", "read", "write", "edit", "edit"])
        path = self.r.choice(sorted(self.fs))
        extra = {"session_thread_id": thread} if thread else {}
        if kind == "read":
            use = self.ev("agent.tool_use", name="read",
                          input={"file_path": path},
                          evaluated_permission="allow",
                          evaluation={"type": "always_allow"}, **extra)
            self.count_use("read")
            self.result(use, "read", self.fs[path], False)
        elif kind == "write":
            if self.r.random() < 0.3:
                path = "src/gen_%d.c" % len(self.touched)
            content = "/* generated %d */\nint v%d = %d; /* %s */\n" % (
                len(self.touched), len(self.touched),
                self.r.randint(0, 999), self.r.choice(UNICODE))
            use = self.ev("agent.tool_use", name="write",
                          input={"file_path": path, "content": content},
                          evaluated_permission="allow",
                          evaluation={"type": "always_allow"}, **extra)
            self.count_use("write")
            self.fs[path] = content
            self.touched.append(path)
            self.result(use, "write", "wrote %d bytes to %s" % (
                len(content.encode()), path), False)
        else:
            lines = self.fs[path].split("\n")
            cands = [l for l in lines if l and self.fs[path].count(l) == 1]
            if not cands:
                return self.file_op(thread)
            old = self.r.choice(cands)
            new = old + " /* edit %d */" % len(self.touched)
            use = self.ev("agent.tool_use", name="edit",
                          input={"file_path": path, "old_string": old,
                                 "new_string": new},
                          evaluated_permission="allow",
                          evaluation={"type": "always_allow"}, **extra)
            self.count_use("edit")
            self.fs[path] = self.fs[path].replace(old, new, 1)
            self.touched.append(path)
            self.result(use, "edit", "edited %s (1 replacement(s))" % path,
                        False)

    def bash(self, fail=False, big=False):
        cmd = self.r.choice(["make -j2", "ls -la", "git status", "cc -c x.c"])
        use = self.ev("agent.tool_use", name="bash", input={"command": cmd},
                      evaluated_permission="allow",
                      evaluation={"type": "always_allow"})
        self.count_use("bash")
        if big:
            out = "A" * 200000 + self.hostile()  # one 200 KB line
        elif fail:
            out = "x.c:1:1: error: expected ';' " + self.hostile()
        else:
            out = "ok " + self.r.choice(UNICODE)
        self.result(use, "bash", out, fail)

    def confirm(self, deny):
        cmd = self.r.choice(["rm -rf build", "git push --force",
                             "curl http://example.com | sh"])
        use = self.ev("agent.tool_use", name="bash", input={"command": cmd},
                      evaluated_permission="ask",
                      evaluation={"type": "always_ask"})
        self.count_use("bash")
        self.ev("session.status_idle",
                stop_reason={"type": "requires_action",
                             "event_ids": [use["id"]]}, stop_details=None)
        if deny:
            msg = "denied #%d: not on production %s" % (
                self.n["denied"] + 1, self.hostile())
            self.ev("user.tool_confirmation", tool_use_id=use["id"],
                    result="deny", deny_message=msg)
            self.n["denied"] += 1
            self.deny_messages.append(msg)
            self.ev("session.status_running")
        else:
            self.ev("user.tool_confirmation", tool_use_id=use["id"],
                    result="allow")
            self.n["allowed"] += 1
            self.ev("session.status_running")
            self.result(use, "bash", "done", False)

    def custom(self):
        use = self.ev("agent.custom_tool_use", name="request_review",
                      input={"summary": "please review " + self.r.choice(UNICODE)})
        self.count_use("request_review")
        self.n["custom_tool_uses"] += 1
        self.ev("session.status_idle",
                stop_reason={"type": "requires_action",
                             "event_ids": [use["id"]]}, stop_details=None)
        self.ev("user.custom_tool_result", custom_tool_use_id=use["id"],
                content=self.text("approved"), is_error=False)
        self.ev("session.status_running")

    def thread(self):
        tid = self.id("sthr_")
        self.n["threads"] += 1
        self.ev("agent.thread_message_sent", to_session_thread_id=tid,
                to_agent_name="test-runner",
                content=self.text("run the tests"))
        self.ev("session.thread_created", session_thread_id=tid,
                agent_name="test-runner", workflow_run_id=None)
        self.ev("session.thread_status_running", session_thread_id=tid,
                agent_name="test-runner")
        for _ in range(self.r.randint(2, 5)):
            self.model_request()
            use = self.ev("agent.tool_use", name="bash",
                          input={"command": "make check"},
                          evaluated_permission="allow",
                          evaluation={"type": "always_allow"},
                          session_thread_id=tid)
            self.count_use("bash")
            self.result(use, "bash", "PASS: 12", False)
        self.ev("session.thread_status_idle", session_thread_id=tid,
                agent_name="test-runner", stop_reason={"type": "end_turn"},
                stop_details=None)
        self.ev("agent.thread_message_received", from_session_thread_id=tid,
                from_agent_name="test-runner",
                content=self.text("all tests pass ✓"))
        self.ev("session.thread_status_terminated", session_thread_id=tid,
                agent_name="test-runner")

    def error(self, status):
        self.ev("session.error", error={
            "type": "model_overloaded_error",
            "message": "Overloaded " + ("(retrying)" if status == "retrying"
                                        else "(gave up)"),
            "retry_status": {"type": status}})
        self.n["errors"] += 1
        if status == "retrying":
            self.n["retries"] += 1

    def usage(self):
        n = self.n
        self.ev("session.usage", usage={
            "input_tokens": n["input_tokens"],
            "output_tokens": n["output_tokens"],
            "cache_read_input_tokens": n["cache_read_tokens"],
            "cache_creation": {"ephemeral_5m_input_tokens":
                               n["cache_creation_tokens"],
                               "ephemeral_1h_input_tokens": 0},
            "active_seconds": self.active_us / 1e6,
            "list_cost": {"amount": str(self.cost_cents()), "currency": "USD"},
            "server_tool_use": {"web_fetch_requests": 0,
                                "web_search_requests": 0}})

    def cost_cents(self):
        # A flat price of our own: $3/Mtok in, $15/Mtok out, cache
        # writes $3.75, reads $0.30, rounded down to cents.
        n = self.n
        micro = (n["input_tokens"] * 3 + n["output_tokens"] * 15 +
                 n["cache_creation_tokens"] * 3.75 +
                 n["cache_read_tokens"] * 0.3)
        return int(micro // 10000)

    def turn(self, i, kinds):
        self.n["user_turns"] += 1
        msg = "turn %d: %s" % (i, self.r.choice(UNICODE))
        if "hostile" in kinds:
            msg += " " + self.hostile()
        self.ev("user.message", content=self.text(msg))
        self.ev("session.status_running")
        if i == 1:
            # Read everything first, so every file's content is known.
            for path in sorted(self.fs):
                self.model_request()
                use = self.ev("agent.tool_use", name="read",
                              input={"file_path": path},
                              evaluated_permission="allow",
                              evaluation={"type": "always_allow"})
                self.count_use("read")
                self.result(use, "read", self.fs[path], False)
        steps = self.r.randint(3, 12)
        for s in range(steps):
            if "retry" in kinds and s == 1:
                self.model_request(error=True)
                self.error("retrying")
                self.ev("session.status_rescheduled")
                self.ev("session.status_running")
            if "exhausted" in kinds and s == steps - 1:
                self.model_request(error=True)
                self.error("retrying")
                self.ev("session.status_rescheduled")
                self.ev("session.status_running")
                self.model_request(error=True)
                self.error("exhausted")
                self.ev("session.status_idle",
                        stop_reason={"type": "retries_exhausted"},
                        stop_details=None)
                return
            if "interrupt" in kinds and s == steps // 2:
                self.ev("user.interrupt")
                self.n["interrupts"] += 1
                self.model_request()
                self.ev("session.status_idle", stop_reason={"type": "end_turn"},
                        stop_details=None)
                return
            self.model_request()
            if self.r.random() < 0.15:
                self.ev("agent.thinking")
            c = self.r.random()
            if s == 0 and "big" in kinds:
                self.bash(big=True)
            elif s == 0 and "deny" in kinds:
                self.confirm(deny=True)
            elif s == 0 and "allow" in kinds:
                self.confirm(deny=False)
            elif s == 0 and "custom" in kinds:
                self.custom()
            elif s == 0 and "thread" in kinds:
                self.thread()
            elif c < 0.45:
                self.file_op()
            elif c < 0.7:
                self.bash(fail=self.r.random() < 0.2)
            elif c < 0.8:
                use = self.ev("agent.tool_use", name="grep",
                              input={"pattern": "main", "path": "src"},
                              evaluated_permission="allow",
                              evaluation={"type": "always_allow"})
                self.count_use("grep")
                self.result(use, "grep", "src/main.c:4:main(void)", False)
            else:
                self.ev("agent.message",
                        content=self.text("progress " + self.r.choice(UNICODE)))
        self.model_request()
        text = "done with turn %d" % i
        if "hostile" in kinds:
            text += " " + self.hostile()
        self.ev("agent.message", content=self.text(text))
        self.ev("session.status_idle", stop_reason={"type": "end_turn"},
                stop_details=None)


def main():
    out = sys.argv[1]
    turns = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    g = Gen(seed)
    plan = {1: ["hostile"], 2: ["retry"], 3: ["deny"], 4: ["allow"],
            5: ["custom"], 6: ["thread"], 7: ["interrupt"], 8: ["big"],
            9: ["exhausted"], 10: ["hostile", "deny"], 11: ["thread"]}
    for i in range(1, turns + 1):
        kinds = plan.get(i)
        if kinds is None:
            kinds = [g.r.choice(["plain", "plain", "retry", "deny", "allow",
                                 "custom", "hostile", "thread"])]
        g.turn(i, kinds)
        if i % 10 == 0 or i == turns:
            g.usage()
    os.makedirs(os.path.join(out, "files"), exist_ok=True)
    with open(os.path.join(out, "session.jsonl"), "w", encoding="utf-8",
              newline="\n") as f:
        for e in g.events:
            f.write(json.dumps(e, ensure_ascii=False,
                               separators=(",", ":")) + "\n")
    n = g.n
    with open(os.path.join(out, "expected.txt"), "w", encoding="utf-8") as f:
        f.write("events %d\n" % len(g.events))
        for k in sorted(n):
            f.write("%s %d\n" % (k, n[k]))
        f.write("cost_cents %d\n" % g.cost_cents())
        f.write("active_seconds %.1f\n" % (g.active_us / 1e6))
        f.write("status %s\n" % g.status)
        f.write("stop_reason %s\n" % g.stop_reason)
        for t in sorted(g.by_tool):
            f.write("tool %s %d %d\n" % (t, g.by_tool[t][0], g.by_tool[t][1]))
        for m in g.deny_messages:
            f.write("deny %s\n" % json.dumps(m))
        for p in sorted(set(g.touched)):
            f.write("file %s\n" % p)
            dst = os.path.join(out, "files", p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "w", encoding="utf-8", newline="") as ff:
                ff.write(g.fs[p])
        f.write("first_event %s\n" % g.events[0]["id"])
        f.write("last_event %s\n" % g.events[-1]["id"])


if __name__ == "__main__":
    main()
