//! Tests of the VTL engine: each rule of issue #4, and the examples of AWS's mapping-template pages.

use super::*;
use indexmap::IndexMap;
use serde_json::json;

/// Renders `template` with the given body and no parameters.
fn render_body(template: &str, body: &str) -> String {
    let input = MappingInput {
        body,
        ..MappingInput::default()
    };
    match render_mapping_template(template, &input) {
        Ok(out) => out.body,
        Err(e) => panic!("render failed: {e}"),
    }
}

/// Renders a template with no input.
fn r(template: &str) -> String {
    render_body(template, "")
}

/// The error of a template that must fail.
fn fails(template: &str) -> VtlError {
    match render_mapping_template(template, &MappingInput::default()) {
        Ok(out) => panic!("expected an error, got {:?}", out.body),
        Err(e) => e,
    }
}

#[test]
fn plain_text_renders_verbatim() {
    assert_eq!(r("{\"statusCode\": 200}"), "{\"statusCode\": 200}");
}

// ---- references -------------------------------------------------------------------------------------------

#[test]
fn references_in_all_notations() {
    assert_eq!(r("#set($a = \"x\")$a|${a}|$!a|$!{a}"), "x|x|x|x");
    assert_eq!(r("${a}b"), "b");
}

#[test]
fn undefined_and_null_references_render_empty() {
    // API Gateway renders an undefined reference as nothing (apigateway-facts.md, divergence 4).
    assert_eq!(r("[$nope][$!nope][$nope.a.b][${nope}]"), "[][][][]");
}

#[test]
fn properties_methods_and_indexes() {
    let t =
        "#set($m = {\"k\": [10, 20, 30], \"s\": \"Hello\"})$m.k[0] $m[\"s\"] $m.s.length() $m.k[-1] $m.s.toUpperCase()";
    assert_eq!(r(t), "10 Hello 5 30 HELLO");
}

#[test]
fn getter_properties() {
    // A string has isEmpty(); on a map, Velocity looks the key up instead (Velocity 1.7 property resolution).
    assert_eq!(r("#set($s = \"\")$s.empty #set($m = {})[$m.empty]"), "true []");
}

#[test]
fn dollar_without_identifier_is_text() {
    assert_eq!(r("costs $5 and $ 1 and $!"), "costs $5 and $ 1 and $!");
}

#[test]
fn trailing_dot_is_text() {
    assert_eq!(r("#set($a = 1)$a."), "1.");
}

// ---- directives -------------------------------------------------------------------------------------------

#[test]
fn if_elseif_else() {
    let t = "#foreach($n in [1, 2, 3])#if($n == 1)one#elseif($n == 2)two#{else}other#end,#end";
    assert_eq!(r(t), "one,two,other,");
}

#[test]
fn foreach_counters() {
    let t =
        "#foreach($x in ['a', 'b', 'c'])$foreach.index:$foreach.count:$velocityCount:$x#if($foreach.hasNext),#end#end";
    assert_eq!(r(t), "0:1:1:a,1:2:2:b,2:3:3:c");
}

#[test]
fn foreach_first_last_and_has_next_method() {
    let t = "#foreach($x in [1, 2])$foreach.first/$foreach.last/$foreach.hasNext() #end";
    assert_eq!(r(t), "true/false/true false/true/false ");
}

#[test]
fn foreach_over_map_iterates_values_and_null_iterates_nothing() {
    assert_eq!(
        r("#foreach($v in {\"a\": 1, \"b\": 2})$v#end|#foreach($v in $none)x#end|"),
        "12||"
    );
}

#[test]
fn foreach_restores_loop_variable() {
    assert_eq!(r("#set($x = 'outer')#foreach($x in [1])$x#end $x"), "1 outer");
}

#[test]
fn break_and_stop() {
    assert_eq!(r("#foreach($i in [1..5])#if($i == 3)#break#end$i#end!"), "12!");
    assert_eq!(r("a#stop b"), "a");
}

#[test]
fn define_renders_lazily() {
    assert_eq!(
        r("#define($block)v=$v#end#set($v = 1)$block #set($v = 2)$block"),
        "v=1 v=2"
    );
}

#[test]
fn macros_with_arguments_and_recursion_limit() {
    assert_eq!(
        r("#macro(greet $who $punct)Hello, $who$punct#end#greet('Ada' '!') #greet(\"Bob\", '?')"),
        "Hello, Ada! Hello, Bob?"
    );
    let e = fails("#macro(loop $n)#loop($n)#end#loop(1)");
    assert!(e.message.contains("macro recursion deeper than 20"), "{}", e.message);
}

#[test]
fn unknown_macro_call_prints_literally() {
    assert_eq!(r("color: #fff; #nosuch(1)"), "color: #fff; #nosuch(1)");
}

#[test]
fn set_with_null_keeps_previous_value() {
    // Velocity 1.7 user guide, #set: a null right-hand side is not assigned.
    assert_eq!(r("#set($a = 'x')#set($a = $missing)$a"), "x");
}

// ---- comments, unparsed blocks, escapes -------------------------------------------------------------------

#[test]
fn comments() {
    assert_eq!(r("a## line comment\nb#* block\ncomment *#c#** doc *#d"), "abcd");
}

#[test]
fn unparsed_block() {
    assert_eq!(r("#[[ $a #if( ]]#"), " $a #if( ");
}

#[test]
fn escaped_references_and_directives() {
    assert_eq!(r("#set($a = 'v')\\$a \\\\$a \\$undefined"), "$a \\v \\$undefined");
    assert_eq!(r("\\#if(x) \\#end"), "#if(x) #end");
}

// ---- literals ---------------------------------------------------------------------------------------------

#[test]
fn string_literals() {
    assert_eq!(
        r("#set($n = 'Ada')#set($a = \"Hi $n\")#set($b = 'Hi $n')$a|$b"),
        "Hi Ada|Hi $n"
    );
    assert_eq!(
        r("#set($q = 'it''s')#set($d = \"say \"\"hi\"\"\")$q $d"),
        "it's say \"hi\""
    );
    // Backslashes stay (Velocity does not unescape string literals).
    assert_eq!(r("#set($s = \"a\\nb\")$s"), "a\\nb");
}

#[test]
fn number_and_boolean_literals() {
    assert_eq!(r("#set($i = -3)#set($f = 2.50)#set($t = true)$i $f $t"), "-3 2.5 true");
}

#[test]
fn list_map_and_range_literals_print_like_java() {
    assert_eq!(r("#set($l = [1, 'a', [true]])$l"), "[1, a, [true]]");
    assert_eq!(r("#set($m = {\"a\": 1, \"b\": {\"c\": 'd'}})$m"), "{a=1, b={c=d}}");
    assert_eq!(r("#set($r = [1..4])$r #set($d = [3..1])$d"), "[1, 2, 3, 4] [3, 2, 1]");
    assert_eq!(r("#set($e = [])#set($m = {})$e $m"), "[] {}");
}

// ---- operators --------------------------------------------------------------------------------------------

#[test]
fn comparison_and_logic_operators_with_word_forms() {
    let t = "#if(1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3 && 1 != 2 && !false)y#end\
             #if(1 lt 2 and 2 le 2 and 3 gt 2 and 3 ge 3 and 1 ne 2 and not false and 1 eq 1)Y#end\
             #if(false || true)o#end#if(false or false)X#end";
    assert_eq!(r(t), "yYo");
}

#[test]
fn arithmetic_uses_java_integer_semantics() {
    assert_eq!(r("#set($a = 7 / 2)#set($b = -7 / 2)#set($c = -7 % 3)#set($d = 2 + 3 * 4)#set($e = (2 + 3) * 4)$a $b $c $d $e"), "3 -3 -1 14 20");
    assert_eq!(r("#set($x = 7.0 / 2)$x"), "3.5");
    assert_eq!(r("#set($z = 1 / 0)[$z]"), "[]");
}

#[test]
fn plus_concatenates_strings() {
    assert_eq!(r("#set($s = 'a' + 1)$s"), "a1");
}

#[test]
fn equality_across_types_compares_strings() {
    assert_eq!(
        r("#if(1 == '1')same#end #if(1 == 1.0)num#end #if($x == $y)nulls#end"),
        "same num nulls"
    );
}

#[test]
fn ordering_a_string_is_an_error() {
    let e = fails("#if('a' < 1)x#end");
    assert!(
        e.message.contains("cannot compare String with Integer"),
        "{}",
        e.message
    );
}

#[test]
fn truthiness_is_velocity_1_7() {
    assert_eq!(
        r("#if('')empty-string-is-true#end#if($nothing)no#end#if(0)zero-is-true#end"),
        "empty-string-is-truezero-is-true"
    );
}

// ---- whitespace -------------------------------------------------------------------------------------------

#[test]
fn lines_holding_only_a_directive_disappear() {
    let t = "{\n  #set($a = 1)\n  #if($a == 1)\n  \"a\": $a\n  #end\n}";
    assert_eq!(r(t), "{\n  \"a\": 1\n}");
}

#[test]
fn inline_directives_keep_surrounding_text() {
    assert_eq!(r("a #if(true) b #end c\n"), "a  b  c\n");
}

// ---- Java string methods ----------------------------------------------------------------------------------

#[test]
fn string_methods() {
    let t = "#set($s = ' Hello, World ')\
$s.trim().length()|$s.substring(1, 6)|$s.substring(8)|$s.indexOf('o')|$s.lastIndexOf('o')|\
$s.replace('l', 'L')|$s.toLowerCase()|$s.contains('World')|$s.trim().startsWith('Hell')|$s.trim().endsWith('d')|\
$s.equals(' Hello, World ')|$s.trim().equalsIgnoreCase('HELLO, WORLD')|$s.isEmpty()|$s.charAt(1)|$s.trim().concat('!')";
    assert_eq!(
        r(t),
        "12|Hello|World |5|9| HeLLo, WorLd | hello, world |true|true|true|true|true|false|H|Hello, World!"
    );
}

#[test]
fn regex_methods_follow_java() {
    assert_eq!(r("#set($s = 'a1b22c333')$s.replaceAll('[0-9]+', '#')|$s.replaceFirst('(\\d)', '<$1>')|$s.matches('[a-c0-9]+')|$s.matches('a1')"), "a#b#c#|a<1>b22c333|true|false");
    assert_eq!(
        r("#set($csv = 'a,b,,c,,')#set($p = $csv.split(','))$p.size() $p $p[1]"),
        "4 [a, b, , c] b"
    );
}

#[test]
fn substring_out_of_range_is_an_error_with_position() {
    let e = fails("line one\n  $x #set($s = 'abc')$s.substring(2, 9)");
    assert_eq!((e.line, e.column), (2, 24));
    assert!(e.message.contains("StringIndexOutOfBoundsException"), "{}", e.message);
}

#[test]
fn string_lengths_count_utf16_units() {
    assert_eq!(r("#set($s = 'a😀b')$s.length() $s.indexOf('b')"), "4 3");
}

// ---- Java list and map methods ----------------------------------------------------------------------------

#[test]
fn list_methods() {
    let t = "#set($l = [1, 2])$l.add(3) $l.size() $l.get(0) $l.contains(2) $l.isEmpty() $l";
    assert_eq!(r(t), "true 3 1 true false [1, 2, 3]");
}

#[test]
fn lists_are_shared_references() {
    assert_eq!(r("#set($a = [])#set($b = $a)#set($ignored = $b.add('x'))$a"), "[x]");
}

#[test]
fn map_methods() {
    let t = "#set($m = {\"a\": 1})#set($old = $m.put('b', 2))$m.keySet() $m.values() $m.entrySet() $m.get('a') \
             $m.containsKey('b') $m.size() $m.isEmpty()#foreach($e in $m.entrySet()) $e.key=$e.value#end";
    assert_eq!(r(t), "[a, b] [1, 2] [a=1, b=2] 1 true 2 false a=1 b=2");
}

#[test]
fn map_put_returns_previous_value() {
    assert_eq!(
        r("#set($m = {\"a\": 1})$m.put('a', 5)|$m.put('z', 1)|$m"),
        "1||{a=5, z=1}"
    );
}

#[test]
fn unknown_method_is_an_error_naming_it() {
    let e = fails("#set($s = 'x')\n$s.frobnicate(1)");
    assert_eq!((e.line, e.column), (2, 3));
    assert_eq!(e.message, "String has no method frobnicate with 1 argument(s)");
    assert_eq!(e.excerpt, "$s.frobnicate(1)\n  ^");
}

// ---- parse errors -----------------------------------------------------------------------------------------

#[test]
fn parse_error_names_line_column_and_excerpt() {
    let e = fails("{\n  #if($a == )x#end\n}");
    assert_eq!((e.line, e.column), (2, 13));
    assert_eq!(e.message, "expected a value");
    assert_eq!(e.excerpt, "  #if($a == )x#end\n            ^");
}

#[test]
fn missing_end_is_reported_at_the_directive() {
    let e = fails("a\n#foreach($x in [1])\nb");
    assert_eq!((e.line, e.column, e.message.as_str()), (2, 1, "#foreach without #end"));
}

#[test]
fn unclosed_string_and_comment() {
    assert_eq!(fails("#set($a = \"abc)").message, "string is not closed with \"");
    assert_eq!(fails("x #* y").message, "block comment #* is not closed with *#");
}

// ---- limits -----------------------------------------------------------------------------------------------

#[test]
fn foreach_is_limited_to_1000_iterations() {
    assert_eq!(r("#foreach($i in [1..1000])#end#set($n = $i)done"), "done");
    let e = fails("#foreach($i in [1..1001])#end");
    assert!(e.message.contains("1000 iterations"), "{}", e.message);
}

#[test]
fn nested_loops_hit_the_step_budget_not_a_hang() {
    let t = "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])x#end#end#end";
    let e = fails(t);
    assert!(
        e.message.contains("steps") || e.message.contains("output"),
        "{}",
        e.message
    );
}

#[test]
fn template_size_is_limited_to_300_kb() {
    let big = "a".repeat(300 * 1024 + 1);
    assert!(fails(&big).message.contains("API Gateway allows 307200 bytes"));
}

#[test]
fn deep_nesting_is_an_error() {
    let t = "#if(true)".repeat(500);
    assert!(fails(&t).message.contains("nesting deeper than"));
    let e = "(".repeat(10_000);
    assert!(fails(&format!("#set($a = {e}1)"))
        .message
        .contains("nesting deeper than"));
}

// ---- API Gateway: $input ----------------------------------------------------------------------------------

fn pets() -> &'static str {
    r#"[{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}, {"id": 3, "type": "fish", "price": 0.99}]"#
}

#[test]
fn input_body_is_raw_and_empty_body_is_braces() {
    assert_eq!(
        render_body("{\"message\": $input.body}", "\"World\""),
        "{\"message\": \"World\"}"
    );
    assert_eq!(render_body("$input.body", ""), "{}");
}

#[test]
fn input_json_and_path() {
    let body = r#"{"name": "Ada", "tags": ["a", "b"], "n": 3, "o": {"x": 1, "y": [1, 2]}}"#;
    assert_eq!(
        render_body("$input.json('$.name')|$input.json('$.tags')|$input.json('$.o')", body),
        r#""Ada"|["a","b"]|{"x":1,"y":[1,2]}"#
    );
    assert_eq!(
        render_body(
            "$input.path('$.name')|$input.path('$.tags')|$input.path('$.o')|$input.path('$.n')",
            body
        ),
        r#"Ada|["a","b"]|{x=1, y=[1,2]}|3"#
    );
    assert_eq!(
        render_body(
            "$input.path('$.tags').size() $input.path('$.tags')[1] $input.path('$.o').x",
            body
        ),
        "2 b 1"
    );
}

#[test]
fn input_path_missing_is_empty_string() {
    assert_eq!(render_body("#if($input.path('$.nope') == '')empty#end", "{}"), "empty");
}

#[test]
fn input_path_on_invalid_json_is_an_error() {
    let input = MappingInput {
        body: "not json",
        ..MappingInput::default()
    };
    assert!(render_mapping_template("$input.path('$')", &input)
        .unwrap_err()
        .message
        .contains("not valid JSON"));
}

fn params_input() -> MappingInput<'static> {
    let map = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<IndexMap<_, _>>()
    };
    MappingInput {
        path: map(&[("petId", "8")]),
        querystring: map(&[("q", "cat"), ("petId", "99")]),
        header: map(&[("X-Client", "web")]),
        ..MappingInput::default()
    }
}

#[test]
fn input_params_lookup_order_and_maps() {
    let out = render_mapping_template(
        "$input.params('petId') $input.params('q') $input.params('X-Client') $input.params('x-client') [$input.params('none')] $input.params().path.petId $input.params().querystring $input.params().header",
        &params_input(),
    )
    .unwrap();
    assert_eq!(out.body, "8 cat web web [] 8 {q=cat, petId=99} {X-Client=web}");
}

#[test]
fn input_params_map_iteration() {
    let t = "#set($all = $input.params())#foreach($type in $all.keySet())$type:#foreach($p in $all.get($type).keySet())$p=$util.escapeJavaScript($all.get($type).get($p))#if($foreach.hasNext),#end#end;#end";
    assert_eq!(
        render_mapping_template(t, &params_input()).unwrap().body,
        "path:petId=8;querystring:q=cat,petId=99;header:X-Client=web;"
    );
}

// ---- API Gateway: $util -----------------------------------------------------------------------------------

#[test]
fn escape_javascript_escapes_single_quotes_and_more() {
    assert_eq!(
        r("$util.escapeJavaScript(\"it's \"\"q\"\" a/b \\ c\")"),
        "it\\'s \\\"q\\\" a\\/b \\\\ c"
    );
    assert_eq!(apigateway::escape_javascript("é\n\t😀"), "\\u00E9\\n\\t\\uD83D\\uDE00");
}

#[test]
fn escape_javascript_replace_all_idiom() {
    // The idiom from AWS forums: undo the \' that escapeJavaScript produces.
    assert_eq!(
        r("$util.escapeJavaScript(\"it's\").replaceAll(\"\\\\'\",\"'\")"),
        "it's"
    );
}

#[test]
fn url_encode_is_java_form_encoding() {
    assert_eq!(r("$util.urlEncode('a b&c=d/é*~.-_')"), "a+b%26c%3Dd%2F%C3%A9*%7E.-_");
    assert_eq!(r("$util.urlDecode('a+b%26c%3Dd%2F%C3%A9')"), "a b&c=d/é");
    assert!(fails("$util.urlDecode('%zz')").message.contains("Illegal hex"));
}

#[test]
fn base64_round_trip() {
    assert_eq!(
        r("$util.base64Encode('hello world')|$util.base64Decode('aGVsbG8gd29ybGQ=')"),
        "aGVsbG8gd29ybGQ=|hello world"
    );
}

#[test]
fn parse_json_gives_objects() {
    assert_eq!(
        r("#set($o = $util.parseJson('{\"a\": {\"b\": [1, 2]}, \"s\": \"x\"}'))$o.a.b[1] $o.s $o.a $o"),
        "2 x {b=[1,2]} {a={b=[1,2]}, s=x}"
    );
}

// ---- API Gateway: $context and $stageVariables ------------------------------------------------------------

fn context_input() -> MappingInput<'static> {
    MappingInput {
        context: json!({
            "requestId": "req-1", "stage": "test", "resourcePath": "/pets/{petId}", "httpMethod": "GET",
            "identity": {"sourceIp": "203.0.113.9", "userAgent": "curl/8"},
            "authorizer": {"principalId": "user-1", "claims": {"email": "a@b.c"}},
            "error": {"message": "Missing Authentication Token", "messageString": "\"Missing Authentication Token\"", "responseType": "MISSING_AUTHENTICATION_TOKEN"}
        }),
        stage_variables: [("env".to_string(), "dev".to_string())].into_iter().collect(),
        ..MappingInput::default()
    }
}

#[test]
fn context_variables() {
    let t = "$context.requestId $context.stage $context.resourcePath $context.httpMethod $context.identity.sourceIp \
             $context.identity.userAgent $context.authorizer.principalId $context.authorizer.claims.email \
             $context.error.message $context.error.messageString $context.error.responseType [$context.nope]";
    let out = render_mapping_template(t, &context_input()).unwrap();
    assert_eq!(out.body, "req-1 test /pets/{petId} GET 203.0.113.9 curl/8 user-1 a@b.c Missing Authentication Token \"Missing Authentication Token\" MISSING_AUTHENTICATION_TOKEN []");
}

#[test]
fn stage_variables() {
    let out = render_mapping_template("$stageVariables.env [$stageVariables.none]", &context_input()).unwrap();
    assert_eq!(out.body, "dev []");
}

#[test]
fn overrides_written_with_set_and_put() {
    // AWS: "Use a mapping template to override an API's request and response parameters and status codes".
    let t = "#set($context.requestOverride.header.X-Trace = 'abc')\
#set($context.requestOverride.querystring.page = 2)\
$context.requestOverride.path.put('id', 'p1')\
#set($context.responseOverride.status = 400)\
#set($ignored = $context.responseOverride.header.put('X-Err', 'yes'))done";
    let out = render_mapping_template(t, &context_input()).unwrap();
    assert_eq!(out.body, "done");
    assert_eq!(
        out.request_override.header.get("X-Trace").map(String::as_str),
        Some("abc")
    );
    assert_eq!(
        out.request_override.querystring.get("page").map(String::as_str),
        Some("2")
    );
    assert_eq!(out.request_override.path.get("id").map(String::as_str), Some("p1"));
    assert_eq!(out.response_override.status, Some(400));
    assert_eq!(
        out.response_override.header.get("X-Err").map(String::as_str),
        Some("yes")
    );
}

// ---- AWS documentation examples ---------------------------------------------------------------------------

#[test]
fn aws_models_mappings_pets_example() {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings.html ("Mapping template example").
    let t = "#set($inputRoot = $input.path('$'))\n[\n#foreach($elem in $inputRoot)\n  {\n    \"description\" : \"Item $elem.id is a $elem.type.\",\n    \"askingPrice\" : $elem.price\n  }#if($foreach.hasNext),#end\n\n#end\n]";
    let out = render_body(t, pets());
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        parsed,
        json!([
            {"description": "Item 1 is a dog.", "askingPrice": 249.99},
            {"description": "Item 2 is a cat.", "askingPrice": 124.99},
            {"description": "Item 3 is a fish.", "askingPrice": 0.99}
        ])
    );
    assert_eq!(out, "[\n  {\n    \"description\" : \"Item 1 is a dog.\",\n    \"askingPrice\" : 249.99\n  },\n\n  {\n    \"description\" : \"Item 2 is a cat.\",\n    \"askingPrice\" : 124.99\n  },\n\n  {\n    \"description\" : \"Item 3 is a fish.\",\n    \"askingPrice\" : 0.99\n  }\n\n]");
}

#[test]
fn aws_reference_input_example() {
    // Mapping template reference, "$input variables" example: the body {"name": "Jane", "toys": [...]}.
    let body = r#"{"name": "Jane Doe", "toys": [{"name": "ball"}, {"name": "doll"}]}"#;
    let t =
        "{\"name\" : \"$input.path('$.name')\", \"body\" : $input.json('$'), \"toys\" : $input.json('$.toys[*].name')}";
    assert_eq!(
        render_body(t, body),
        r#"{"name" : "Jane Doe", "body" : {"name":"Jane Doe","toys":[{"name":"ball"},{"name":"doll"}]}, "toys" : ["ball","doll"]}"#
    );
}

#[test]
fn aws_reference_util_example() {
    // Mapping template reference, "$util variables": escapeJavaScript then parseJson of a JSON string.
    let body = r#"{"data": "{\"a\":\"b\"}"}"#;
    let t = "#set($d = $util.parseJson($input.path('$.data')))$d.a";
    assert_eq!(render_body(t, body), "b");
}

#[test]
fn aws_mock_integration_example() {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html (case 10).
    let t = "{\n  #if( $input.params('scope') == \"internal\" )\n    \"statusCode\": 200\n  #else\n    \"statusCode\": 500\n  #end\n}";
    let mut input = MappingInput::default();
    input.querystring.insert("scope".into(), "internal".into());
    assert_eq!(
        render_mapping_template(t, &input).unwrap().body,
        "{\n    \"statusCode\": 200\n}"
    );
    input.querystring.insert("scope".into(), "public".into());
    assert_eq!(
        render_mapping_template(t, &input).unwrap().body,
        "{\n    \"statusCode\": 500\n}"
    );
}

// ---- conformance-case templates ---------------------------------------------------------------------------

#[test]
fn case_02_message_template() {
    let t = "{\n    \"message\": $input.body\n}";
    assert_eq!(
        render_body(t, "{\"name\": \"Serverless\"}"),
        "{\n    \"message\": {\"name\": \"Serverless\"}\n}"
    );
}

#[test]
fn case_04_error_template() {
    let t = "{\"error\": \"$util.escapeJavaScript($input.path('$.errorMessage'))\"}";
    let body = r#"{"errorMessage":"ValidationError: name is required","errorType":"Error"}"#;
    assert_eq!(
        render_body(t, body),
        "{\"error\": \"ValidationError: name is required\"}"
    );
}

#[test]
fn case_07_params_template() {
    let t = "{\n  \"petId\": \"$input.params('petId')\",\n  \"fromPath\": \"$input.params().path.petId\",\n  \"q\": \"$input.params('q')\",\n  \"client\": \"$input.params('X-Client')\",\n  \"resourcePath\": \"$context.resourcePath\",\n  \"method\": \"$context.httpMethod\"\n}";
    let mut input = params_input();
    input.context = json!({"resourcePath": "/pets/{petId}", "httpMethod": "GET"});
    let out = render_mapping_template(t, &input).unwrap().body;
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        parsed,
        json!({"petId": "8", "fromPath": "8", "q": "cat", "client": "web", "resourcePath": "/pets/{petId}", "method": "GET"})
    );
}

// ---- parse once, render many ------------------------------------------------------------------------------

#[test]
fn template_renders_many_times_with_vars() {
    let t = Template::parse("#foreach($i in $items)$i.n#end").unwrap();
    let mut vars = serde_json::Map::new();
    vars.insert("items".into(), json!([{"n": 1}, {"n": 2}]));
    assert_eq!(t.render_with_vars(&vars).unwrap(), "12");
    assert_eq!(t.render_with_vars(&vars).unwrap(), "12");
}

// ---- hostile templates end in errors ----------------------------------------------------------------------

#[test]
fn self_containing_collections_do_not_hang() {
    let out = r("#set($l = [1])#set($x = $l.add($l))#set($x = $l.add($l))#if($l == $l)eq#end");
    assert_eq!(out, "eq");
    let e = fails("#set($l = [1])#set($x = $l.add($l))#set($x = $l.add($l))$l");
    assert!(e.message.contains("output exceeds"), "{}", e.message);
}

#[test]
fn doubling_strings_hit_a_limit() {
    let e = fails("#set($s = 'xxxxxxxxxxxxxxxx')#foreach($i in [1..1000])#set($s = \"$s$s\")#end");
    assert!(
        e.message.contains("exceeds") || e.message.contains("steps"),
        "{}",
        e.message
    );
}

#[test]
fn map_put_of_itself_does_not_panic() {
    assert_eq!(r("#set($m = {})#set($x = $m.put($m, 1))$m.size()"), "1");
}

#[test]
fn deep_macro_and_expression_nesting_fits_a_small_stack() {
    // The browser gives WebAssembly about 1 MB of stack; the worst nesting the limits allow must fit in it.
    let parens = format!("{}1{}", "(".repeat(60), ")".repeat(60));
    let t = format!("#macro(m $n)#if($n < 30)#set($k = $n + 1)#m($k)#end{parens}#end#m(0)");
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || render_mapping_template(&t, &MappingInput::default()).map(|o| o.body.len()))
        .unwrap();
    let result = handle.join().unwrap();
    assert!(result.is_err(), "macro depth 30 exceeds Velocity's 20");
}

#[test]
fn every_documented_context_variable_is_readable() {
    // Build a context holding each documented variable (value = its own path) and read each one back.
    let mut context = json!({});
    for path in apigateway::DOCUMENTED_CONTEXT_VARIABLES {
        let concrete = path
            .replace("<property>", "custom")
            .replace("<header_name>", "H")
            .replace("<path_name>", "p")
            .replace("<querystring_name>", "q");
        let mut node = &mut context;
        let keys: Vec<&str> = concrete.split('.').collect();
        for (i, key) in keys.iter().enumerate() {
            let last = i + 1 == keys.len();
            let obj = node.as_object_mut().unwrap();
            node = obj
                .entry(key.to_string())
                .or_insert_with(|| if last { json!(concrete.clone()) } else { json!({}) });
        }
    }
    let input = MappingInput {
        context,
        ..MappingInput::default()
    };
    for path in apigateway::DOCUMENTED_CONTEXT_VARIABLES {
        let concrete = path
            .replace("<property>", "custom")
            .replace("<header_name>", "H")
            .replace("<path_name>", "p")
            .replace("<querystring_name>", "q");
        let out = render_mapping_template(&format!("${{context.{concrete}}}"), &input).unwrap();
        assert_eq!(out.body, concrete, "$context.{concrete}");
    }
}

#[test]
fn override_with_index_notation() {
    // The form LocalStack once failed to parse (localstack#12621).
    let out = render_mapping_template(
        "#set($context.requestOverride.querystring['my-param'] = 'v')ok",
        &MappingInput::default(),
    )
    .unwrap();
    assert_eq!(out.body, "ok");
    assert_eq!(
        out.request_override.querystring.get("my-param").map(String::as_str),
        Some("v")
    );
}

#[test]
fn empty_body_reads_as_an_empty_object() {
    assert_eq!(
        render_body("$input.json('$')|$input.path('$')|$input.path('$').size()", ""),
        "{}|{}|0"
    );
}

#[test]
fn small_and_large_maps_look_up_alike() {
    let body: String = format!(
        "{{{}}}",
        (0..20).map(|i| format!("\"k{i}\": {i}")).collect::<Vec<_>>().join(", ")
    );
    assert_eq!(
        render_body("#set($o = $input.path('$'))$o.k3 $o.k19 [$o.k20]", &body),
        "3 19 []"
    );
}

#[test]
fn map_key_chains_print_like_step_by_step_evaluation() {
    // The in-place lookup of `$a.b.c` (eval::plain_lookup) must agree with accessor-by-accessor evaluation:
    // missing keys, nulls before a method, non-map values mid-chain, `$foreach` fields and `#define` blocks.
    let t = "#define($blk)B=$m.a.b#end#set($m = {\"a\": {\"b\": 'x', \"s\": 'str', \"l\": [1, 2]}, \"k\": $blk})\
[$m.a.b][$m.a.zz][$m.zz.b][$m.zz.b.length()][$m.a.s.length()][$m.a.s.empty][$m.a.l][$m.a.l.size()][$m.k]\
#foreach($e in $m.entrySet())[$e.key]#end#foreach($x in [1, 2])[$foreach.index$foreach.count$foreach.hasNext$foreach.first]#end";
    assert_eq!(
        r(t),
        "[x][][][][3][false][[1, 2]][2][B=x][a][k][01truetrue][12falsefalse]"
    );
    let e = fails("#set($m = {\"a\": 'x'})$m.a.nosuch");
    assert_eq!(e.message, "String has no property nosuch");
}
