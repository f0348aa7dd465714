//! Every step of every lesson (issue #10): its checks fail on the step's start state and pass once the reference
//! solution is applied, deterministically. A lesson cannot ship otherwise.

use serverless_playground::tutorial::{self, Attempt, CheckResult, Entry, Lesson};

fn results(lesson: &Lesson, index: usize, attempt: &Attempt) -> Vec<CheckResult> {
    let step = &lesson.steps[index];
    tutorial::evaluate(step.checks.iter().map(|c| (&c.kind, c.missing.as_str())), attempt)
}

#[test]
fn every_lesson_parses_and_the_index_lists_the_coming_ones() {
    let lessons = tutorial::lessons().unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "hello-world-mock",
            "first-lambda",
            "lambda-api-gateway",
            "handler-syntax",
            "event-object",
            "permissions",
            "application-backend",
            "why-serverless"
        ]
    );
    let coming = tutorial::INDEX
        .iter()
        .filter(|e| matches!(e, Entry::Coming { .. }))
        .count();
    assert_eq!(coming, 0);
}

#[test]
fn every_step_fails_on_its_start_and_passes_with_its_solution() {
    for lesson in tutorial::lessons().unwrap() {
        for (index, step) in lesson.steps.iter().enumerate() {
            let start = Attempt {
                template: lesson.start_template(index).unwrap(),
                actions: Vec::new(),
            };
            for (check, result) in step.checks.iter().zip(results(&lesson, index, &start)) {
                assert!(
                    !result.passed(),
                    "{} step {}: {:?} passes on the start state",
                    lesson.id,
                    index + 1,
                    check.kind
                );
                let CheckResult::Fail(message) = result else {
                    unreachable!()
                };
                assert!(message.starts_with(&check.missing), "{message}");
            }
            let solved = Attempt {
                template: lesson.solution_template(index).unwrap(),
                actions: step.solution.actions.clone(),
            };
            let first = results(&lesson, index, &solved);
            for result in &first {
                assert_eq!(
                    result,
                    &CheckResult::Pass,
                    "{} step {} ({})",
                    lesson.id,
                    index + 1,
                    step.title
                );
            }
            assert_eq!(first, results(&lesson, index, &solved), "deterministic");
        }
    }
}

#[test]
fn the_stage_root_answers_missing_authentication_token() {
    let lessons = tutorial::lessons().unwrap();
    let lesson = &lessons[0];
    let attempt = Attempt {
        template: lesson.solution_template(3).unwrap(),
        actions: Vec::new(),
    };
    let check = tutorial::CheckKind::Request {
        method: "GET".into(),
        path: "/test".into(),
        body: String::new(),
        expect_status: 403,
        expect_json_field: None,
        expect_json_value: None,
        expect_body: Some(r#"{"message":"Missing Authentication Token"}"#.into()),
        expect_body_one_of: Vec::new(),
    };
    assert_eq!(tutorial::evaluate([(&check, "x")], &attempt), [CheckResult::Pass]);
}

#[test]
fn the_learners_actions_count_as_the_ui_makes_them() {
    let lessons = tutorial::lessons().unwrap();
    // The UI's request console sends `/test/` for the stage root, and its Lambda page invokes by function name.
    let hello = &lessons[0];
    let attempt = Attempt {
        template: hello.solution_template(3).unwrap(),
        actions: vec![tutorial::Action::Request {
            method: "GET".into(),
            path: "/test/".into(),
            body: String::new(),
        }],
    };
    assert_eq!(results(hello, 3, &attempt), [CheckResult::Pass]);
    let lambda = &lessons[1];
    let attempt = Attempt {
        template: lambda.solution_template(1).unwrap(),
        actions: vec![tutorial::Action::Invoke {
            function: "random-message".into(),
            event: r#"{"key1":"value1"}"#.into(),
        }],
    };
    assert_eq!(results(lambda, 1, &attempt), [CheckResult::Pass]);
}

fn lesson(id: &str) -> Lesson {
    tutorial::lessons().unwrap().into_iter().find(|l| l.id == id).unwrap()
}

#[test]
fn the_browser_blocks_a_proxy_answer_without_the_allow_origin_header() {
    // CORS enabled on the API (the preflight passes) but the functions do not return the header themselves.
    let backend = lesson("application-backend");
    let template = backend
        .solution_template(2)
        .unwrap()
        .replace("headers: { 'Access-Control-Allow-Origin': '*' },", "");
    let attempt = Attempt {
        template,
        actions: Vec::new(),
    };
    let verdicts = results(&backend, 2, &attempt);
    let [CheckResult::Fail(message)] = verdicts.as_slice() else {
        panic!("{verdicts:?}")
    };
    assert!(
        message.ends_with("has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.)"),
        "{message}"
    );
    assert!(!message.contains("preflight"), "{message}");
}

#[test]
fn batches_follow_the_mappings_batch_size() {
    let events = lesson("event-object");
    let template = events
        .solution_template(2)
        .unwrap()
        .replace("BatchSize: 5", "BatchSize: 10");
    let attempt = Attempt {
        template,
        actions: Vec::new(),
    };
    assert_eq!(
        results(&events, 2, &attempt),
        [CheckResult::Fail(
            "Messages sent to jobs are not delivered to worker in batches of 5 yet. (2 batch(es) were delivered)"
                .into()
        )]
    );
}

/// The learner's first call after a Deploy, made as the UI makes it (a fresh account with the default seed,
/// the request console's `invoke::execute`, the Lambda page's `lambda::invoke`).
fn first_call_after_deploy(template: &str, action: &tutorial::Action) -> String {
    use serverless_playground::apigateway::{http::HttpRequest, ApiGateway};
    use serverless_playground::template::{self, LoadOptions};
    let mut cloud = serverless_playground::Cloud::default();
    let stack = template::load("hello-world.yaml", template, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    match action {
        tutorial::Action::Request { method, path, body } => {
            let api = cloud
                .service::<ApiGateway>()
                .unwrap()
                .rest_apis
                .keys()
                .next()
                .unwrap()
                .clone();
            let request = HttpRequest {
                method: method.clone(),
                path: path.clone(),
                headers: Vec::new(),
                body: body.clone(),
            };
            let executed = serverless_playground::apigateway::invoke::execute(&mut cloud, &api, &request).unwrap();
            executed.response.body
        }
        tutorial::Action::Invoke { function, event } => {
            let invocation = serverless_playground::lambda::InvocationType::RequestResponse;
            serverless_playground::lambda::invoke(&mut cloud, function, invocation, event)
                .unwrap()
                .payload
        }
        tutorial::Action::Load(_) => unreachable!("this test makes requests and invokes only"),
    }
}

#[test]
fn a_checks_own_call_draws_the_same_random_message_as_the_learners_first_call() {
    // Lesson 2 says the first invoke after a Deploy always picks the same message: the check's own call (here
    // made to fail on purpose, so that its message shows what it got) must get the message the learner saw,
    // even after the learner's own calls.
    let template = lesson("lambda-api-gateway").solution_template(0).unwrap();
    let request = tutorial::Action::Request {
        method: "GET".into(),
        path: "/test/message".into(),
        body: String::new(),
    };
    let seen = first_call_after_deploy(&template, &request);
    let check: tutorial::CheckKind = serde_json::from_value(serde_json::json!({
        "check": "request", "method": "GET", "path": "/test/message", "expect_status": 200, "expect_body": "nope"
    }))
    .unwrap();
    let attempt = Attempt {
        template: template.clone(),
        actions: vec![request.clone(), request],
    };
    assert_eq!(
        tutorial::evaluate([(&check, "Missing.")], &attempt),
        [CheckResult::Fail(format!(
            "Missing. (the check's own GET /test/message answered {seen})"
        ))]
    );

    let template = lesson("first-lambda").solution_template(0).unwrap();
    let invoke = tutorial::Action::Invoke {
        function: "random-message".into(),
        event: "{}".into(),
    };
    let seen = first_call_after_deploy(&template, &invoke);
    let check: tutorial::CheckKind = serde_json::from_value(serde_json::json!({
        "check": "invoke", "function": "random-message", "event": "{}", "expect_payload_one_of": ["nope"]
    }))
    .unwrap();
    let attempt = Attempt {
        template,
        actions: vec![invoke.clone(), invoke],
    };
    assert_eq!(
        tutorial::evaluate([(&check, "Missing.")], &attempt),
        [CheckResult::Fail(format!(
            "Missing. (the check's own invoke returned {seen})"
        ))]
    );
}

#[test]
fn a_missing_function_is_named_as_the_learner_knows_it() {
    let lambda = lesson("first-lambda");
    let attempt = Attempt {
        template: lambda.start_template(0).unwrap(),
        actions: Vec::new(),
    };
    let results = results(&lambda, 0, &attempt);
    let CheckResult::Fail(why) = &results[1] else {
        panic!("{results:?}")
    };
    assert!(why.contains("function:random-message"), "{why}");
    assert!(!why.contains("RandomMessageFunction"), "{why}");
}

#[test]
fn leftover_mapping_templates_do_not_matter_on_a_proxy_integration() {
    // Lesson 3 step 2 says API Gateway ignores `RequestTemplates` and `IntegrationResponses` on `AWS_PROXY`
    // ("Set up Lambda proxy integrations in API Gateway"), so leftovers do not fail its checks.
    let lesson = lesson("lambda-api-gateway");
    let solution = lesson.solution_template(1).unwrap();
    let proxy = "        Type: AWS_PROXY\n";
    assert!(solution.contains(proxy));
    let leftovers = solution.replace(
        proxy,
        &format!(
            "{proxy}        RequestTemplates:\n          application/json: '{{\"message\": $input.body}}'\n        IntegrationResponses:\n          - StatusCode: '200'\n"
        ),
    );
    let attempt = Attempt {
        template: leftovers,
        actions: Vec::new(),
    };
    assert_eq!(results(&lesson, 1, &attempt), [CheckResult::Pass, CheckResult::Pass]);
}

#[test]
fn without_a_function_policy_api_gateway_answers_500() {
    let permissions = lesson("permissions");
    let attempt = Attempt {
        template: permissions.start_template(2).unwrap(),
        actions: Vec::new(),
    };
    let check = tutorial::CheckKind::Request {
        method: "POST".into(),
        path: "/prod/notes".into(),
        body: "{}".into(),
        expect_status: 500,
        expect_json_field: None,
        expect_json_value: None,
        expect_body: Some(r#"{"message":"Internal server error"}"#.into()),
        expect_body_one_of: Vec::new(),
    };
    assert_eq!(tutorial::evaluate([(&check, "x")], &attempt), [CheckResult::Pass]);
    // The step's own check waits for the learner to meet it.
    assert_eq!(
        results(&permissions, 3, &attempt),
        [CheckResult::Fail(
            "POST /prod/notes does not answer 200 {\"saved\":true} yet. (the check's own POST /prod/notes answered 500 {\"message\":\"Internal server error\"})".into()
        )]
    );
}

#[test]
fn load_checks_say_what_the_load_showed() {
    let scaling = lesson("why-serverless");
    let start = Attempt {
        template: scaling.start_template(1).unwrap(),
        actions: Vec::new(),
    };
    assert_eq!(
        results(&scaling, 1, &start),
        [
            CheckResult::Fail(
                "A load of 100 requests per second is not capped at 5 concurrent requests with throttles yet. \
                 (500 requests: peak concurrency 10, 10 cold start(s), 0 throttled)"
                    .into()
            ),
            CheckResult::Fail("You have not run a load of at least 500 requests that met throttles yet.".into()),
        ]
    );
    let cheaper = Attempt {
        template: scaling.start_template(3).unwrap(),
        actions: Vec::new(),
    };
    assert_eq!(
        results(&scaling, 3, &cheaper),
        [CheckResult::Fail(
            "The duration of 1,000 requests still costs more than $0.0003. (the duration of those 1000 requests \
             costs $0.001667)"
                .into()
        )]
    );
}
