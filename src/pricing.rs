//! What a load test ([`crate::simulation::load`]) would cost on AWS: Lambda requests and duration (GB-seconds,
//! billed per millisecond) and API Gateway REST API calls, in US East (N. Virginia), on-demand, first price tier.
//! The free tier is shown apart, as a deduction, since only some accounts have it (API Gateway's lasts 12 months).
//!
//! Every amount is an exact decimal ([`BigDecimal`]): a bill of a few thousand requests is a fraction of a cent,
//! and floating point would print it wrong. Not billed here: data transfer, API caching, CloudWatch Logs,
//! provisioned concurrency, ephemeral storage above 512 MB, and the lower tiers past 6 billion GB-seconds or 333
//! million calls a month (no playground load comes near them).

use crate::simulation::load::{FunctionUsage, LoadReport};
use bigdecimal::BigDecimal;
use std::str::FromStr;

/// Lambda's price per request: $0.20 per 1M requests. Source: "AWS Lambda pricing"
/// (<https://aws.amazon.com/lambda/pricing/>) and the whitepaper "How AWS Pricing Works", Lambda
/// (<https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html>: "$0.20 per 1 million
/// requests thereafter, or $0.0000002 per request"), read 2026-11-30.
pub const LAMBDA_REQUEST_USD: &str = "0.0000002";

/// Lambda's x86 duration price per GB-second, first tier (6 billion GB-s a month), US East: $0.0000166667.
/// Source: "AWS Lambda pricing" (<https://aws.amazon.com/lambda/pricing/>), read 2026-11-30; the page renders its
/// table with scripts, so the figure was confirmed from the whitepaper "How AWS Pricing Works" ($0.00001667,
/// rounded) and from tools quoting the page (Artillery's `prices.js`: 1666670e-11), not from the page's text.
pub const LAMBDA_X86_GB_SECOND_USD: &str = "0.0000166667";

/// Lambda's arm64 (Graviton2) duration price per GB-second, first tier (7.5 billion GB-s a month), US East:
/// $0.0000133334. Source: "AWS Lambda pricing" (<https://aws.amazon.com/lambda/pricing/>), read 2026-11-30;
/// unconfirmed from the page's own text (rendered by scripts): the figure is as tools quoting the page give it
/// (Artillery's `prices.js`: 1333340e-11), 20% below x86.
pub const LAMBDA_ARM_GB_SECOND_USD: &str = "0.0000133334";

/// API Gateway REST API calls: $3.50 per million, first 333 million a month, US East. Source: "Amazon API
/// Gateway pricing" (<https://aws.amazon.com/api-gateway/pricing/>) and the whitepaper "Best Practices for
/// Designing Amazon API Gateway Private APIs", Cost optimization, table 4
/// (<https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html>),
/// read 2026-11-30.
pub const APIGATEWAY_REST_CALL_USD: &str = "0.0000035";

/// Lambda's free tier: 1,000,000 requests a month (whitepaper "How AWS Pricing Works", Lambda; read 2026-11-30).
pub const LAMBDA_FREE_REQUESTS: u64 = 1_000_000;
/// Lambda's free tier: 400,000 GB-seconds a month, x86 and arm64 together (same source).
pub const LAMBDA_FREE_GB_SECONDS: u64 = 400_000;
/// API Gateway's free tier: 1,000,000 REST API calls a month for 12 months after sign-up ("Amazon API Gateway
/// pricing", Free Tier; read 2026-11-30).
pub const APIGATEWAY_FREE_REST_CALLS: u64 = 1_000_000;

/// One line of a bill.
#[derive(Debug, Clone, PartialEq)]
pub struct BillLine {
    /// `AWS Lambda` or `Amazon API Gateway`.
    pub service: &'static str,
    /// What is counted, e.g. `Requests` or `Duration, x86_64, 512 MB`.
    pub item: String,
    /// How much (requests, or GB-seconds).
    pub quantity: BigDecimal,
    /// The unit of `quantity`.
    pub unit: &'static str,
    /// The price of one unit, in USD.
    pub unit_price: BigDecimal,
    /// `quantity * unit_price`, in USD.
    pub cost: BigDecimal,
}

/// A bill: its lines, the total, and what the free tier would take off.
#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    /// The lines, Lambda first.
    pub lines: Vec<BillLine>,
    /// The sum of the lines, in USD.
    pub total: BigDecimal,
    /// What the free tier covers, in USD (at most the total).
    pub free_tier: BigDecimal,
    /// `total - free_tier`.
    pub total_with_free_tier: BigDecimal,
}

/// What-if settings the learner changes without running the load again: the memory and architecture the
/// functions are billed at (`None` keeps each function's own). The billed duration is kept as measured: in the
/// simulator memory does not change a handler's speed (on AWS, more memory also buys more CPU).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WhatIf {
    /// `MemorySize` in MB.
    pub memory_mb: Option<u64>,
    /// `x86_64` or `arm64`.
    pub architecture: Option<String>,
}

fn usd(text: &str) -> BigDecimal {
    // The constants above are decimal literals; a typo would show as a zero price in the tests.
    BigDecimal::from_str(text).unwrap_or_default()
}

/// The GB-seconds of `billed_ms` milliseconds at `memory_mb` MB (AWS counts 1 GB as 1,024 MB).
pub fn gb_seconds(billed_ms: u64, memory_mb: u64) -> BigDecimal {
    BigDecimal::from(u128::from(billed_ms) * u128::from(memory_mb)) / BigDecimal::from(1_024_000u32)
}

/// The bill of a load test, its usage multiplied by `scale` (1 for the run itself; a month's worth of runs to
/// see what the same traffic would cost all month).
pub fn bill(report: &LoadReport, what_if: &WhatIf, scale: u64) -> Bill {
    let scale_d = BigDecimal::from(scale);
    let mut lines = Vec::new();
    let invocations: u64 = report.functions.iter().map(|f| f.invocations).sum();
    let requests = BigDecimal::from(invocations) * &scale_d;
    lines.push(line(
        "AWS Lambda",
        "Requests".into(),
        requests.clone(),
        "requests",
        usd(LAMBDA_REQUEST_USD),
    ));
    let mut gb_total = BigDecimal::from(0);
    for f in &report.functions {
        let (memory, architecture) = settings(f, what_if);
        let gbs = gb_seconds(f.billed_ms, memory) * &scale_d;
        gb_total += &gbs;
        let price = if architecture == "arm64" {
            usd(LAMBDA_ARM_GB_SECOND_USD)
        } else {
            usd(LAMBDA_X86_GB_SECOND_USD)
        };
        let item = format!("Duration of {}, {architecture}, {memory} MB", f.function_name);
        lines.push(line("AWS Lambda", item, gbs, "GB-seconds", price));
    }
    let calls = BigDecimal::from(report.requests) * &scale_d;
    lines.push(line(
        "Amazon API Gateway",
        "REST API calls".into(),
        calls.clone(),
        "calls",
        usd(APIGATEWAY_REST_CALL_USD),
    ));
    let total: BigDecimal = lines.iter().map(|l| &l.cost).sum();
    let free_requests = min(&requests, &BigDecimal::from(LAMBDA_FREE_REQUESTS)) * usd(LAMBDA_REQUEST_USD);
    let free_calls = min(&calls, &BigDecimal::from(APIGATEWAY_FREE_REST_CALLS)) * usd(APIGATEWAY_REST_CALL_USD);
    // The free GB-seconds go to the duration lines in order (AWS applies them across architectures).
    let mut free_gbs_left = BigDecimal::from(LAMBDA_FREE_GB_SECONDS);
    let mut free_duration = BigDecimal::from(0);
    for l in lines.iter().filter(|l| l.unit == "GB-seconds") {
        let covered = min(&l.quantity, &free_gbs_left);
        free_duration += &covered * &l.unit_price;
        free_gbs_left -= covered;
    }
    let free_tier = free_requests + free_calls + free_duration;
    let free_tier = min(&free_tier, &total);
    Bill {
        total_with_free_tier: &total - &free_tier,
        lines,
        total,
        free_tier,
    }
}

fn settings(f: &FunctionUsage, what_if: &WhatIf) -> (u64, String) {
    (
        what_if.memory_mb.unwrap_or(f.memory_mb),
        what_if.architecture.clone().unwrap_or_else(|| f.architecture.clone()),
    )
}

fn min(a: &BigDecimal, b: &BigDecimal) -> BigDecimal {
    if a < b {
        a.clone()
    } else {
        b.clone()
    }
}

fn line(service: &'static str, item: String, quantity: BigDecimal, unit: &'static str, price: BigDecimal) -> BillLine {
    BillLine {
        service,
        item,
        cost: &quantity * &price,
        quantity,
        unit,
        unit_price: price,
    }
}

/// `amount` in dollars for people: cents from $1 up, up to 6 decimals below (`$0.000035`), never in
/// scientific notation.
pub fn format_usd(amount: &BigDecimal) -> String {
    let places = if amount >= &BigDecimal::from(1) { 2 } else { 6 };
    let rounded = amount.with_scale_round(places, bigdecimal::RoundingMode::HalfUp);
    let text = rounded.to_plain_string();
    if places == 6 {
        let trimmed = text.trim_end_matches('0');
        let trimmed = trimmed
            .strip_suffix('.')
            .map_or(trimmed.to_string(), |t| format!("{t}.00"));
        let trimmed = if trimmed.split('.').nth(1).is_some_and(|d| d.len() < 2) {
            format!("{trimmed}0")
        } else {
            trimmed
        };
        format!("${trimmed}")
    } else {
        format!("${text}")
    }
}

/// A quantity for people: at most 3 decimals, trailing zeros dropped.
pub fn format_quantity(quantity: &BigDecimal) -> String {
    let text = quantity
        .with_scale_round(3, bigdecimal::RoundingMode::HalfUp)
        .to_plain_string();
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(invocations: u64, billed_ms: u64, memory_mb: u64, architecture: &str) -> LoadReport {
        LoadReport {
            requests: invocations,
            functions: vec![FunctionUsage {
                function_name: "hello".into(),
                memory_mb,
                architecture: architecture.into(),
                invocations,
                billed_ms,
            }],
            ..LoadReport::default()
        }
    }

    #[test]
    fn a_gb_second_is_a_second_at_1024_mb() {
        assert_eq!(gb_seconds(1000, 1024), BigDecimal::from(1));
        assert_eq!(gb_seconds(100, 128), BigDecimal::from_str("0.0125").unwrap());
    }

    #[test]
    fn the_bill_adds_requests_duration_and_api_calls() {
        // 1,000,000 invocations of 100 ms at 128 MB: 12,500 GB-s.
        let b = bill(&report(1_000_000, 100_000_000, 128, "x86_64"), &WhatIf::default(), 1);
        let costs: Vec<String> = b.lines.iter().map(|l| format_usd(&l.cost)).collect();
        assert_eq!(costs, ["$0.20", "$0.208334", "$3.50"]);
        assert_eq!(b.lines[1].quantity, BigDecimal::from(12_500));
        assert_eq!(format_usd(&b.total), "$3.91");
        // The free tier covers all of it.
        assert_eq!(b.total_with_free_tier, BigDecimal::from(0));
    }

    #[test]
    fn memory_and_architecture_change_the_duration_line() {
        let r = report(1000, 1_000_000, 128, "x86_64");
        let base = bill(&r, &WhatIf::default(), 1);
        let more = bill(
            &r,
            &WhatIf {
                memory_mb: Some(1024),
                architecture: None,
            },
            1,
        );
        assert_eq!(&more.lines[1].cost, &(&base.lines[1].cost * BigDecimal::from(8)));
        let arm = bill(
            &r,
            &WhatIf {
                memory_mb: None,
                architecture: Some("arm64".into()),
            },
            1,
        );
        assert_eq!(arm.lines[1].item, "Duration of hello, arm64, 128 MB");
        assert!(arm.lines[1].cost < base.lines[1].cost);
        // 1,000 s at 128 MB = 125 GB-s: $0.00208333... x86, $0.00166667... arm64.
        assert_eq!(format_usd(&base.lines[1].cost), "$0.002083");
        assert_eq!(format_usd(&arm.lines[1].cost), "$0.001667");
    }

    #[test]
    fn the_free_tier_stops_at_its_allowance() {
        // A month of 2,000,000 requests: 1,000,000 are free on each service.
        let b = bill(&report(2_000_000, 2_000_000, 128, "x86_64"), &WhatIf::default(), 1);
        assert_eq!(format_usd(&b.total_with_free_tier), "$3.70");
        let scaled = bill(&report(1000, 1000, 128, "x86_64"), &WhatIf::default(), 2000);
        assert_eq!(scaled.lines[0].quantity, BigDecimal::from(2_000_000));
    }

    #[test]
    fn amounts_print_plainly() {
        assert_eq!(format_usd(&BigDecimal::from_str("0.0000002").unwrap()), "$0.00");
        assert_eq!(format_usd(&BigDecimal::from_str("0.000035").unwrap()), "$0.000035");
        assert_eq!(format_usd(&BigDecimal::from_str("0.5").unwrap()), "$0.50");
        assert_eq!(format_usd(&BigDecimal::from_str("12.345").unwrap()), "$12.35");
        assert_eq!(format_quantity(&BigDecimal::from_str("0.0125").unwrap()), "0.013");
        assert_eq!(format_quantity(&BigDecimal::from(12_500)), "12500");
    }
}
