//! Node.js built-in modules a handler requires (`crypto`, `events`, `url`, `querystring`, `util`, `timers`,
//! `timers/promises`, with and without the `node:` prefix) and the globals they back. Every expected value is what
//! Node.js 20 prints for the same expression (docs: nodejs.org/docs/latest-v20.x/api/<module>.html); digests are
//! the RFC / FIPS known answers.

use serde_json::{json, Value};
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

/// A function whose handler evaluates `event.expr` by direct eval, so the module's `require` is in scope (awaiting a promise) and returns the value, or the error's
/// `name: message` as `{ "threw": ... }`.
fn deploy() -> Cloud {
    let code = "exports.handler = async (e) => {\n            try { return await eval(e.expr); }\n            catch (err) { return { threw: String(err && err.name) + ': ' + String(err && err.message), code: err && err.code }; }\n          };";
    let text = format!(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: fn\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n      Code:\n        ZipFile: |\n          {code}\n"
    );
    let mut cloud = Cloud::default();
    let stack = template::load("t.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

fn check(cases: &[(&str, Value)]) {
    let mut cloud = deploy();
    let mut failures = Vec::new();
    for (expr, want) in cases {
        let event = json!({ "expr": expr }).to_string();
        let out = lambda::invoke(&mut cloud, "fn", InvocationType::RequestResponse, &event).unwrap();
        let got: Value = serde_json::from_str(&out.payload).unwrap();
        if &got != want {
            failures.push(format!("{expr}\n  got:  {got}\n  want: {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn crypto_hashes_hmacs_and_seeded_randomness() {
    check(&[
        ("require('crypto').createHash('md5').update('abc').digest('hex')", json!("900150983cd24fb0d6963f7d28e17f72")),
        ("require('node:crypto').createHash('sha1').update('a').update('bc').digest('hex')", json!("a9993e364706816aba3e25717850c26c9cd0d89d")),
        ("require('crypto').createHash('sha256').update('').digest('hex')", json!("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")),
        ("require('crypto').createHash('SHA256').update(Buffer.from('abc')).digest('base64')", json!("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")),
        ("require('crypto').createHash('sha512').update('abc').digest('hex').slice(0, 32)", json!("ddaf35a193617abacc417349ae204131")),
        ("require('crypto').createHash('sha384').update('abc').digest('hex').slice(0, 16)", json!("cb00753f45a35e8b")),
        ("require('crypto').createHash('md5').update('héllo').digest().length", json!(16)),
        ("Buffer.isBuffer(require('crypto').createHash('md5').update('x').digest())", json!(true)),
        ("require('crypto').createHash('sha1').update('616263', 'hex').digest('hex')", json!("a9993e364706816aba3e25717850c26c9cd0d89d")),
        ("require('crypto').createHmac('sha256', 'Jefe').update('what do ya want for nothing?').digest('hex')", json!("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")),
        ("require('crypto').createHmac('md5', 'Jefe').update('what do ya want for nothing?').digest('hex')", json!("750c783e6ab0b503eaa86e310a5db738")),
        ("require('crypto').createHmac('sha1', Buffer.from('Jefe')).update('what do ya want for nothing?').digest('hex')", json!("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")),
        ("(() => { const h = require('crypto').createHash('md5'); h.digest(); h.digest(); })()", json!({"threw": "Error: Digest already called", "code": "ERR_CRYPTO_HASH_FINALIZED"})),
        ("require('crypto').createHash('whirlpool')", json!({"threw": "Error: Digest method not supported"})),
        ("require('crypto').randomBytes(8).length", json!(8)),
        ("require('crypto').randomBytes(-1)", json!({"threw": "RangeError: The value of \"size\" is out of range. It must be >= 0 && <= 2147483647. Received -1", "code": "ERR_OUT_OF_RANGE"})),
        ("/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID())", json!(true)),
        ("crypto.getRandomValues(new Uint32Array(4)).length", json!(4)),
        ("(() => { const c = require('crypto'); const n = c.randomInt(10); return n >= 0 && n < 10; })()", json!(true)),
        ("require('crypto').timingSafeEqual(Buffer.from('ab'), Buffer.from('ab'))", json!(true)),
        ("require('crypto').createSign", json!({"threw": "Error: not simulated: crypto.createSign"})),
    ]);
}

#[test]
fn crypto_randomness_is_reproducible_across_runs() {
    let run = || {
        let mut cloud = deploy();
        let event =
            json!({"expr": "[require('crypto').randomBytes(4).toString('hex'), crypto.randomUUID()]"}).to_string();
        lambda::invoke(&mut cloud, "fn", InvocationType::RequestResponse, &event)
            .unwrap()
            .payload
    };
    assert_eq!(run(), run());
}

#[test]
fn events_emitter_semantics() {
    check(&[
        ("(() => { const E = require('events'); const e = new E(); const got = []; e.on('x', (a, b) => got.push(a + b)); e.once('x', () => got.push('once')); const r = [e.emit('x', 1, 2), e.emit('x', 3, 4), e.emit('y')]; return [got, r, e.listenerCount('x')]; })()", json!([[3, "once", 7], [true, true, false], 1])),
        ("(() => { const { EventEmitter } = require('node:events'); const e = new EventEmitter(); const f = () => {}; e.on('a', f).on('a', f); e.off('a', f); return [e.listenerCount('a'), e.eventNames()]; })()", json!([1, ["a"]])),
        ("(() => { const E = require('events'); const e = new E(); e.on('a', () => {}); e.on('b', () => {}); e.removeAllListeners('a'); const n = e.eventNames(); e.removeAllListeners(); return [n, e.eventNames()]; })()", json!([["b"], []])),
        ("(() => { const E = require('events'); new E().emit('error', new TypeError('boom')); })()", json!({"threw": "TypeError: boom"})),
        ("(() => { const E = require('events'); new E().emit('error', 'text'); })()", json!({"threw": "Error: Unhandled error. ('text')", "code": "ERR_UNHANDLED_ERROR"})),
        ("(() => { const E = require('events'); const e = new E(); let m; e.on('error', (x) => { m = x.message; }); return [e.emit('error', new Error('handled')), m]; })()", json!([true, "handled"])),
        ("(() => { const E = require('events'); const e = new E(); const order = []; e.on('x', () => order.push(1)); e.prependListener('x', () => order.push(0)); e.emit('x'); return order; })()", json!([0, 1])),
        ("(() => { const E = require('events'); const e = new E(); setTimeout(() => e.emit('ready', 42), 10); return E.once(e, 'ready'); })()", json!([42])),
        ("(() => { const E = require('events'); class C extends E {} const c = new C(); c.on('z', function () { this.seen = true; }); c.emit('z'); return [c.seen, new E().getMaxListeners()]; })()", json!([true, 10])),
        ("new (require('events'))().on('x', 5)", json!({"threw": "TypeError: The \"listener\" argument must be of type function. Received 5", "code": "ERR_INVALID_ARG_TYPE"})),
    ]);
}

#[test]
fn url_whatwg_and_legacy() {
    check(&[
        ("(() => { const u = new URL('HTTPS://User:Pw@Example.COM:443/a/./b/../c%20d?x=1&y=a+b#Frag'); return [u.href, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin]; })()",
         json!(["https://User:Pw@example.com/a/c%20d?x=1&y=a+b#Frag", "https:", "User", "Pw", "example.com", "example.com", "", "/a/c%20d", "?x=1&y=a+b", "#Frag", "https://example.com"])),
        ("new URL('http://h:8080/p q?a b#c d').href", json!("http://h:8080/p%20q?a%20b#c%20d")),
        ("new URL('../x?y', 'http://h/a/b/c').href", json!("http://h/a/x?y")),
        ("new URL('/root', 'https://h/a/b').href", json!("https://h/root")),
        ("new URL('//other/p', 'https://h/a').href", json!("https://other/p")),
        ("new URL('?q=1', 'https://h/a/b#f').href", json!("https://h/a/b?q=1")),
        ("new URL('http://h').href", json!("http://h/")),
        ("new URL('mailto:Someone@Example.com').pathname", json!("Someone@Example.com")),
        ("new URL('not a url')", json!({"threw": "TypeError: Invalid URL", "code": "ERR_INVALID_URL"})),
        ("new URL('http://h:99999/')", json!({"threw": "TypeError: Invalid URL", "code": "ERR_INVALID_URL"})),
        ("[URL.canParse('https://a'), URL.canParse('a')]", json!([true, false])),
        ("(() => { const u = new URL('https://h/p?a=1'); u.searchParams.append('b', 'x y'); u.searchParams.set('a', '2'); u.hash = 'top'; return [u.href, u.searchParams.get('b'), u.searchParams.has('c')]; })()", json!(["https://h/p?a=2&b=x+y#top", "x y", false])),
        ("(() => { const p = new URLSearchParams('?a=1&b=2&a=3'); return [p.getAll('a'), p.get('z'), p.size, [...p.keys()], p.toString()]; })()", json!([["1", "3"], null, 3, ["a", "b", "a"], "a=1&b=2&a=3"])),
        ("(() => { const p = new URLSearchParams({ q: 'é&=', n: 1 }); p.sort(); return p.toString(); })()", json!("n=1&q=%C3%A9%26%3D")),
        ("(() => { const p = new URLSearchParams([['b', '1'], ['a', '2'], ['b', '0']]); p.sort(); p.delete('a'); return p.toString(); })()", json!("b=1&b=0")),
        ("JSON.stringify({ u: new URL('https://h/x') })", json!("{\"u\":\"https://h/x\"}")),
        ("(() => { const u = require('url').parse('https://user:pw@Host.com:8080/p/a?x=1&x=2#h', true); return [u.protocol, u.slashes, u.auth, u.host, u.port, u.hostname, u.hash, u.search, u.query, u.pathname, u.path, u.href]; })()",
         json!(["https:", true, "user:pw", "host.com:8080", "8080", "host.com", "#h", "?x=1&x=2", {"x": ["1", "2"]}, "/p/a", "/p/a?x=1&x=2", "https://user:pw@host.com:8080/p/a?x=1&x=2#h"])),
        ("(() => { const u = require('url').parse('/path?a=b'); return [u.protocol, u.host, u.pathname, u.query, u.href]; })()", json!([null, null, "/path", "a=b", "/path?a=b"])),
        ("require('node:url').format({ protocol: 'https', hostname: 'example.com', pathname: '/some/path', query: { page: 1, format: 'json' } })", json!("https://example.com/some/path?page=1&format=json")),
        ("require('url').format(new URL('https://a:b@h/p?q#f'), { auth: false, fragment: false })", json!("https://h/p?q")),
        ("require('url').resolve('http://example.com/one', '/two')", json!("http://example.com/two")),
        ("[require('url').fileURLToPath('file:///var/task/a%20b.js'), require('url').pathToFileURL('/tmp/a b#.txt').href]", json!(["/var/task/a b.js", "file:///tmp/a%20b%23.txt"])),
        ("require('url').URL === URL", json!(true)),
    ]);
}

#[test]
fn querystring_parse_stringify_escape() {
    check(&[
        ("require('querystring').stringify({ foo: 'bar', baz: ['qux', 'quux'], corge: '' })", json!("foo=bar&baz=qux&baz=quux&corge=")),
        ("require('querystring').stringify({ w: '中文', foo: 'bar' }, ';', ':')", json!("w:%E4%B8%AD%E6%96%87;foo:bar")),
        ("require('querystring').stringify({ n: 1, b: true, o: {}, u: undefined, i: Infinity })", json!("n=1&b=true&o=&u=&i=")),
        ("(() => { const q = require('node:querystring').parse('foo=bar&abc=xyz&abc=123&sp=a+b%20c&e'); return [JSON.stringify(q), Object.getPrototypeOf(q)]; })()", json!(["{\"foo\":\"bar\",\"abc\":[\"xyz\",\"123\"],\"sp\":\"a b c\",\"e\":\"\"}", null])),
        ("require('querystring').parse('a:1;b:2', ';', ':')", json!({"a": "1", "b": "2"})),
        ("Object.keys(require('querystring').parse('a=1&b=2&c=3', null, null, { maxKeys: 2 }))", json!(["a", "b"])),
        ("require('querystring').parse('bad=%E0%A4%A&ok=%41')", json!({"bad": "\u{fffd}%A", "ok": "A"})),
        ("[require('querystring').escape(\"a b&c/é!'()*~\"), require('querystring').unescape('a%20b%2')]", json!(["a%20b%26c%2F%C3%A9!'()*~", "a b%2"])),
    ]);
}

#[test]
fn util_format_inspect_promisify_types_and_encoding() {
    check(&[
        ("require('util').format('%s:%i:%j', 'a', 42.9, { x: 1 })", json!("a:42:{\"x\":1}")),
        ("[require('util').inspect('s'), require('util').inspect({ a: [1, 'x'], b: null }), require('util').inspect(new Map([[1, 2]]))]", json!(["'s'", "{ a: [ 1, 'x' ], b: null }", "Map(1) { 1 => 2 }"])),
        ("require('util').promisify((a, cb) => setTimeout(() => cb(null, a * 2), 100))(21)", json!(42)),
        ("require('util').promisify((cb) => cb(new Error('nope')))()", json!({"threw": "Error: nope"})),
        ("(() => { const u = require('util'); const f = () => {}; f[u.promisify.custom] = () => 'custom'; return u.promisify(f)(); })()", json!("custom")),
        ("new Promise((res) => require('util').callbackify(async (x) => x + 1)(1, (err, v) => res([err, v])))", json!([null, 2])),
        ("(() => { const t = require('node:util').types; return [t.isPromise(Promise.resolve()), t.isDate(new Date(0)), t.isRegExp(/x/), t.isAsyncFunction(async () => {}), t.isAsyncFunction(() => {}), t.isUint8Array(Buffer.from('a'))]; })()", json!([true, true, true, true, false, true])),
        ("(() => { const u = require('util'); function A() {} function B() {} u.inherits(A, B); return [new A() instanceof B, A.super_ === B]; })()", json!([true, true])),
        ("require('util').isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }) && !require('util').isDeepStrictEqual([1], ['1'])", json!(true)),
        ("Array.from(new TextEncoder().encode('é✓'))", json!([195, 169, 226, 156, 147])),
        ("new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 104, 105]))", json!("hi")),
        ("new (require('util').TextDecoder)('utf-8', { fatal: true }).decode(new Uint8Array([0xff]))", json!({"threw": "TypeError: The encoded data was not valid for encoding utf-8", "code": "ERR_ENCODING_INVALID_ENCODED_DATA"})),
        ("require('util').promisify(5)", json!({"threw": "TypeError: The \"original\" argument must be of type function. Received 5", "code": "ERR_INVALID_ARG_TYPE"})),
    ]);
}

#[test]
fn timers_and_timers_promises_run_on_virtual_time() {
    check(&[
        ("(async () => { const t0 = Date.now(); const v = await require('timers/promises').setTimeout(2500, 'done'); return [v, Date.now() - t0]; })()", json!(["done", 2500])),
        ("(async () => { const { setImmediate } = require('node:timers/promises'); return await setImmediate('now'); })()", json!("now")),
        ("(async () => { const t0 = Date.now(); await require('timers').promises.scheduler.wait(40); return Date.now() - t0; })()", json!(40)),
        ("new Promise((res) => require('timers').setTimeout((a) => res(a), 5, 'arg'))", json!("arg")),
        ("require('timers').setTimeout === setTimeout", json!(true)),
        ("require('timers/promises').setTimeout(1, 1, { signal: {} })", json!({"threw": "Error: not simulated: timers/promises with an AbortSignal"})),
    ]);
}

/// `JSON.parse` (ECMA-262 25.5.1; the engine parses the common case natively, see src/js/json.rs): every value is
/// what Node.js 20 gives, including the cases the native path hands back to Boa's own parser. (Two known
/// differences are Boa's, unchanged by the native path: syntax error messages are `serde_json`'s, and nesting deeper
/// than 128 or a lone surrogate escape is a SyntaxError where Node accepts it.)
#[test]
fn json_parse_gives_what_the_specification_gives() {
    check(&[
        (
            r#"Object.keys(JSON.parse('{"b":1,"a":2,"10":3,"2":4}'))"#,
            json!(["2", "10", "b", "a"]),
        ),
        (r#"JSON.parse('{"a":1,"b":2,"a":3}')"#, json!({"a": 3, "b": 2})),
        (r#"Object.keys(JSON.parse('{"a":1,"b":2,"a":3}'))"#, json!(["a", "b"])),
        (
            r#"Object.getPrototypeOf(JSON.parse('{"__proto__":{"x":1}}')) === Object.prototype"#,
            json!(true),
        ),
        (
            r#"JSON.parse('{"__proto__":{"x":1}}').hasOwnProperty('__proto__')"#,
            json!(true),
        ),
        ("Object.is(JSON.parse('-0'), -0)", json!(true)),
        (
            "JSON.parse('[0.1, 1e21, 9007199254740993, 18446744073709551616]').map(String)",
            json!(["0.1", "1e+21", "9007199254740992", "18446744073709552000"]),
        ),
        ("JSON.parse(' \\t\\n\"\\\\u00e9\\\\ud83d\\\\ude00\" ')", json!("é😀")),
        (
            r#"JSON.parse('{"a":[1,{"b":2}]}', (k, v) => typeof v === 'number' ? v * 10 : v)"#,
            json!({"a": [10, {"b": 20}]}),
        ),
        ("JSON.parse({ toString() { return '[1,2]'; } })", json!([1, 2])),
        ("JSON.parse(5)", json!(5)),
        ("JSON.parse(null)", Value::Null),
        ("[JSON.parse.name, JSON.parse.length]", json!(["parse", 2])),
        (
            "(() => { try { new JSON.parse('1'); } catch (e) { return e.name; } })()",
            json!("TypeError"),
        ),
        (
            "(() => { try { JSON.parse('{\"a\":'); } catch (e) { return e.name; } })()",
            json!("SyntaxError"),
        ),
        (
            "(() => { try { JSON.parse(undefined); } catch (e) { return e.name; } })()",
            json!("SyntaxError"),
        ),
        ("JSON.parse('[' .repeat(100) + ']'.repeat(100)).length", json!(1)),
    ]);
}
