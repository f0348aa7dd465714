//! EventBridge schedules: `rate(...)` and six-field `cron(...)` expressions (EventBridge user guide, "Creating an
//! Amazon EventBridge rule that runs on a schedule"), rules deployed from templates, the scheduled event's shape,
//! and the resource-based-policy check before a Lambda target runs. The clock starts at 2026-01-01T00:00:00Z, a
//! Thursday.

use serde_json::{json, Value};
use serverless_playground::events::{self, schedule, Events};
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

const START: u64 = 1_767_225_600_000;

/// The next run strictly after `after` (ISO text) for `expression`.
fn next(expression: &str, after_ms: u64) -> String {
    let parsed = schedule::parse(expression).unwrap();
    schedule::iso_seconds(parsed.next_after(START, after_ms).unwrap())
}

#[test]
fn rate_expressions_count_from_creation() {
    assert_eq!(next("rate(5 minutes)", START), "2026-01-01T00:05:00Z");
    assert_eq!(next("rate(5 minutes)", START + 300_000), "2026-01-01T00:10:00Z");
    assert_eq!(next("rate(1 minute)", START + 61_000), "2026-01-01T00:02:00Z");
    assert_eq!(next("rate(1 hour)", START), "2026-01-01T01:00:00Z");
    assert_eq!(next("rate(2 hours)", START), "2026-01-01T02:00:00Z");
    assert_eq!(next("rate(1 day)", START), "2026-01-02T00:00:00Z");
    assert_eq!(next("rate(7 days)", START), "2026-01-08T00:00:00Z");
}

#[test]
fn cron_expressions_in_utc() {
    assert_eq!(next("cron(0/5 * * * ? *)", START), "2026-01-01T00:05:00Z");
    assert_eq!(next("cron(0/5 * * * ? *)", START + 1_000), "2026-01-01T00:05:00Z");
    assert_eq!(next("cron(0 10 * * ? *)", START), "2026-01-01T10:00:00Z");
    assert_eq!(next("cron(15 12 ? * MON-FRI *)", START), "2026-01-01T12:15:00Z");
    assert_eq!(next("cron(0 8 ? * SAT,SUN *)", START), "2026-01-03T08:00:00Z");
    assert_eq!(next("cron(0 8 ? * 2#1 *)", START), "2026-01-05T08:00:00Z");
    assert_eq!(next("cron(0 18 ? * 6L *)", START), "2026-01-30T18:00:00Z");
    assert_eq!(next("cron(0 9 L * ? *)", START), "2026-01-31T09:00:00Z");
    assert_eq!(next("cron(0 9 LW * ? *)", START), "2026-01-30T09:00:00Z");
    assert_eq!(next("cron(0 9 1W * ? *)", START), "2026-01-01T09:00:00Z");
    // 2026-02-01 is a Sunday: the nearest weekday is Monday the 2nd.
    assert_eq!(next("cron(0 9 1W * ? *)", START + 36_000_000), "2026-02-02T09:00:00Z");
    assert_eq!(next("cron(0 0 1 JAN ? 2027)", START), "2027-01-01T00:00:00Z");
    assert_eq!(next("cron(30 1-3/2 15 MAR-APR ? *)", START), "2026-03-15T01:30:00Z");
    assert_eq!(next("cron(0 0 29 FEB ? *)", START), "2028-02-29T00:00:00Z");
}

#[test]
fn invalid_expressions_give_aws_text() {
    for bad in [
        "rate(1 minutes)",
        "rate(5 minute)",
        "rate(0 minutes)",
        "rate(-1 minutes)",
        "rate(5 seconds)",
        "rate(5  minutes)",
        "rate(5 minutes",
        "cron(0 10 * * * *)",
        "cron(0 10 ? * ? *)",
        "cron(60 * * * ? *)",
        "cron(* * * * ?)",
        "cron(0 24 * * ? *)",
        "cron(0 0 32 * ? *)",
        "cron(0 0 ? * 8 *)",
        "cron(0 0 ? * MON#6 *)",
        "cron(0 0 ? FOO * *)",
        "at(2026-01-01T00:00:00)",
        "",
    ] {
        assert_eq!(
            schedule::parse(bad),
            Err("Parameter ScheduleExpression is not valid.".to_string()),
            "{bad}"
        );
    }
}

fn deploy(rule: &str, permission: &str) -> Result<Cloud, String> {
    let text = format!(
        r#"Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: tick
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          exports.handler = async (event) => {{ console.log(JSON.stringify(event)); }};
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Name: every-minute
{rule}
{permission}"#
    );
    let mut cloud = Cloud::default();
    let stack = template::load("rules.yaml", &text, &LoadOptions::default(), &mut cloud).map_err(|e| e.to_string())?;
    cloud.deploy(&stack).map_err(|e| e.to_string())?;
    Ok(cloud)
}

const TARGET: &str = "      Targets:\n        - {Arn: !GetAtt Fn.Arn, Id: tick}";
const PERMISSION: &str = "  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: events.amazonaws.com
      SourceArn: !GetAtt Rule.Arn";

fn payloads(firings: &[events::Firing]) -> Vec<Value> {
    firings
        .iter()
        .map(|f| serde_json::from_str(&f.payload).unwrap())
        .collect()
}

#[test]
fn a_rule_fires_with_the_scheduled_event() {
    let rule = format!("      ScheduleExpression: rate(1 minute)\n{TARGET}");
    let mut cloud = deploy(&rule, PERMISSION).unwrap();
    let firings = events::advance(&mut cloud, 150_000).unwrap();
    assert_eq!(firings.len(), 2);
    assert!(firings.iter().all(|f| f.delivered));
    let events = payloads(&firings);
    let id = events[0]["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);
    assert_eq!(
        events[0],
        json!({
            "version": "0",
            "id": id,
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": "2026-01-01T00:01:00Z",
            "region": "us-east-1",
            "resources": ["arn:aws:events:us-east-1:123456789012:rule/every-minute"],
            "detail": {}
        })
    );
    assert_eq!(events[1]["time"], "2026-01-01T00:02:00Z");
    assert_ne!(events[1]["id"], events[0]["id"]);
    assert!(cloud.clock.now_millis() >= START + 150_000);
    // The handler ran and logged the event it was given.
    let lambda = cloud.service::<serverless_playground::lambda::Lambda>().unwrap();
    let logged: Vec<&String> = lambda
        .async_queue
        .attempts
        .iter()
        .flat_map(|a| a.logs.iter())
        .filter(|l| l.contains("Scheduled Event"))
        .collect();
    assert_eq!(logged.len(), 2);
}

#[test]
fn constant_input_replaces_the_event() {
    let rule = "      ScheduleExpression: rate(1 minute)\n      Targets:\n        - {Arn: !GetAtt Fn.Arn, Id: tick, Input: '{\"job\": \"cleanup\"}'}";
    let mut cloud = deploy(rule, PERMISSION).unwrap();
    let firings = events::advance(&mut cloud, 60_000).unwrap();
    assert_eq!(payloads(&firings), vec![json!({"job": "cleanup"})]);
}

#[test]
fn without_permission_nothing_runs() {
    let rule = format!("      ScheduleExpression: rate(1 minute)\n{TARGET}");
    let mut cloud = deploy(&rule, "").unwrap();
    let firings = events::advance(&mut cloud, 60_000).unwrap();
    assert_eq!(firings.len(), 1);
    assert!(!firings[0].delivered);
    let lambda = cloud.service::<serverless_playground::lambda::Lambda>().unwrap();
    assert!(lambda.async_queue.attempts.is_empty());
}

#[test]
fn disabled_rules_do_not_fire() {
    let rule = format!("      ScheduleExpression: rate(1 minute)\n      State: DISABLED\n{TARGET}");
    let mut cloud = deploy(&rule, PERMISSION).unwrap();
    assert!(events::advance(&mut cloud, 600_000).unwrap().is_empty());
    assert_eq!(cloud.clock.now_millis(), START + 600_000);
    assert!(!cloud.service::<Events>().unwrap().rules[0].enabled);
}

#[test]
fn an_invalid_expression_fails_the_deploy() {
    let rule = format!("      ScheduleExpression: rate(1 minutes)\n{TARGET}");
    let error = deploy(&rule, PERMISSION).err().unwrap();
    assert!(
        error.ends_with("[Rule] Parameter ScheduleExpression is not valid."),
        "{error}"
    );
}

#[test]
fn event_patterns_are_not_simulated() {
    let rule = format!("      EventPattern: {{source: [aws.s3]}}\n{TARGET}");
    let error = deploy(&rule, PERMISSION).err().unwrap();
    assert!(error.contains("not simulated: EventBridge event patterns"), "{error}");
}

/// Expressions built from every piece of the syntax, valid or not, never panic and, when accepted, run later.
#[test]
fn odd_expressions_never_panic() {
    let pieces = [
        "*", "?", "L", "W", "LW", "#", "/", "-", ",", "0", "1", "5", "7", "12", "31", "59", "60", "2199", "MON", "jan",
        "5L", "1W", "2#5", "0/0", "*/15", "3-1", "", "99999",
    ];
    let mut seed: u64 = 7;
    let mut pick = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        pieces[(seed >> 33) as usize % pieces.len()]
    };
    let mut accepted = 0;
    for _ in 0..5_000 {
        // One piece per field is often valid; two pieces rarely are (both must never panic).
        let double = pick().len() % 3 == 0;
        let mut fields: Vec<String> = (0..6)
            .map(|_| format!("{}{}", pick(), if double { pick() } else { "" }))
            .collect();
        if pick().len() % 2 == 0 {
            fields[4] = "?".to_string();
            fields[5] = "*".to_string();
        }
        let expression = format!("cron({})", fields.join(" "));
        if let Ok(parsed) = schedule::parse(&expression) {
            accepted += 1;
            if let Some(t) = parsed.next_after(START, START) {
                assert!(t > START, "{expression}");
            }
        }
    }
    assert!(accepted > 0);
}

#[test]
fn too_many_runs_at_once_are_refused_loudly() {
    let rule = format!("      ScheduleExpression: rate(1 minute)\n{TARGET}");
    let mut cloud = deploy(&rule, PERMISSION).unwrap();
    // 10,001 minutes hold 10,001 runs: one more than one advance makes.
    let error = events::advance(&mut cloud, 10_001 * 60_000).unwrap_err();
    assert_eq!(
        error,
        "not simulated: advancing the clock past more than 10000 scheduled rule runs at once (advance in shorter steps)"
    );
    assert_eq!(cloud.clock.now_millis(), START);
}
