//! The Cloud: the root of the simulated AWS account.
//!
//! Everything that makes a run reproducible lives here: the account id and region every ARN is built from, a
//! [`VirtualClock`] that only moves when the engine advances it, and an [`IdGenerator`] seeded from a number, so the
//! same scenario and the same requests give the same output byte for byte (design rule 2). Nothing in this module
//! reads the wall clock or the operating system's randomness.

use crate::api::{ApiRequest, AwsError};
use crate::template::{Stack, TemplateError};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde_json::Value as Json;
use std::any::Any;

/// The account id of a fresh Cloud, the one AWS documentation uses in its examples.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
/// The region of a fresh Cloud.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The seed of a fresh Cloud's [`IdGenerator`].
pub const DEFAULT_SEED: u64 = 0;
/// Where a fresh Cloud's clock starts: 2026-01-01T00:00:00Z, in milliseconds since the Unix epoch.
pub const DEFAULT_START_MILLIS: u64 = 1_767_225_600_000;

/// The simulated account: identity, time, ids and the services that simulate resource types.
#[derive(Debug)]
pub struct Cloud {
    /// The 12-digit AWS account id that ARNs and URLs use.
    pub account_id: String,
    /// The region code, e.g. `us-east-1`.
    pub region: String,
    /// Virtual time; see [`VirtualClock`].
    pub clock: VirtualClock,
    /// Seeded ids; see [`IdGenerator`].
    pub ids: IdGenerator,
    /// The requests' traces (off until enabled); see [`crate::trace`].
    pub traces: crate::trace::Tracer,
    services: ServiceRegistry,
}

impl Default for Cloud {
    fn default() -> Self {
        Cloud::new(DEFAULT_ACCOUNT_ID, DEFAULT_REGION, DEFAULT_SEED)
    }
}

impl Cloud {
    /// A Cloud for `account_id` in `region`, with ids drawn from `seed`, the clock at [`DEFAULT_START_MILLIS`],
    /// and every simulated service ([`crate::services::all`]) registered.
    pub fn new(account_id: &str, region: &str, seed: u64) -> Cloud {
        let mut cloud = Cloud::without_services(account_id, region, seed);
        for service in crate::services::all() {
            cloud.register_service(service);
        }
        cloud
    }

    /// A Cloud with no service registered: every resource type is "not simulated".
    pub fn without_services(account_id: &str, region: &str, seed: u64) -> Cloud {
        Cloud {
            account_id: account_id.to_string(),
            region: region.to_string(),
            clock: VirtualClock::starting_at(DEFAULT_START_MILLIS),
            ids: IdGenerator::from_seed(seed),
            traces: crate::trace::Tracer::default(),
            services: ServiceRegistry::default(),
        }
    }

    /// Hands a loaded stack to every registered service, in registration order; each creates the resources of
    /// the types it simulates. Resources of other types stay "not simulated".
    ///
    /// Errors: the first service error (for example an invalid API Gateway model), located in the template.
    pub fn deploy(&mut self, stack: &Stack) -> Result<(), TemplateError> {
        let mut services = std::mem::take(&mut self.services.services);
        let result = services.iter_mut().try_for_each(|s| s.deploy(stack, self));
        // Services registered while deploying (none today) would be lost; keep the originals first.
        services.append(&mut self.services.services);
        self.services.services = services;
        result
    }

    /// The registered service of type `T`, if any.
    pub fn service<T: Service>(&self) -> Option<&T> {
        self.services
            .services
            .iter()
            .find_map(|s| s.as_any().downcast_ref::<T>())
    }

    /// The registered service of type `T`, mutably.
    pub fn service_mut<T: Service>(&mut self) -> Option<&mut T> {
        self.services
            .services
            .iter_mut()
            .find_map(|s| s.as_any_mut().downcast_mut::<T>())
    }

    /// The partition of the region: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, `aws` otherwise.
    /// Source: "ARN format", AWS Identity and Access Management user guide.
    pub fn partition(&self) -> &'static str {
        if self.region.starts_with("cn-") {
            "aws-cn"
        } else if self.region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
    }

    /// The domain suffix of the partition (`AWS::URLSuffix`): `amazonaws.com.cn` in China, `amazonaws.com` elsewhere.
    pub fn url_suffix(&self) -> &'static str {
        if self.partition() == "aws-cn" {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        }
    }

    /// The registered services.
    pub fn services(&self) -> &ServiceRegistry {
        &self.services
    }

    /// Makes an API call as `request.caller`: the service whose [`Service::signing_name`] is `request.service`
    /// answers, with the rest of the Cloud at hand.
    ///
    /// Errors: the service's [`AwsError`]; a service nobody simulates is [`AwsError::not_simulated`].
    pub fn call(&mut self, request: &ApiRequest<'_>) -> Result<Json, AwsError> {
        let index = self
            .services
            .services
            .iter()
            .position(|s| s.signing_name() == Some(request.service))
            .ok_or_else(|| AwsError::not_simulated(format!("the {} API", request.service)))?;
        // Taken out while it answers so that it can borrow the Cloud; put back at the same place.
        let mut service = self.services.services.remove(index);
        let result = service.call(request, self);
        self.services.services.insert(index, service);
        result
    }

    /// Registers a service; the resource types it names are simulated from then on.
    pub fn register_service(&mut self, service: Box<dyn Service>) {
        self.services.services.push(service);
    }

    /// Runs `work` with `service` registered in the Cloud, then takes it back into `service`. A service answering
    /// a call is out of the Cloud ([`Cloud::call`]); when the call triggers work that may call the service back
    /// (S3 invoking a function whose handler reads the object just written), the service lends itself for that
    /// work. A service of type `T` already registered stays and is found first by [`Cloud::service`].
    pub fn lend<T: Service + Default, R>(&mut self, service: &mut T, work: impl FnOnce(&mut Cloud) -> R) -> R {
        self.services.services.push(Box::new(std::mem::take(service)));
        let result = work(self);
        let lent = self.services.services.iter().rposition(|s| s.as_any().is::<T>());
        if let Some(index) = lent {
            let mut back = self.services.services.remove(index);
            if let Some(state) = back.as_any_mut().downcast_mut::<T>() {
                *service = std::mem::take(state);
            }
        }
        result
    }
}

/// Virtual time in milliseconds since the Unix epoch. It moves only when [`VirtualClock::advance`] is called, so
/// timeouts, retries and schedules are reproducible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VirtualClock {
    now_millis: u64,
}

impl VirtualClock {
    /// A clock showing `millis` since the epoch.
    pub fn starting_at(millis: u64) -> VirtualClock {
        VirtualClock { now_millis: millis }
    }

    /// The current virtual time, in milliseconds since the Unix epoch.
    pub fn now_millis(&self) -> u64 {
        self.now_millis
    }

    /// Moves time forward by `millis` (saturating at `u64::MAX`; time never goes back).
    pub fn advance(&mut self, millis: u64) {
        self.now_millis = self.now_millis.saturating_add(millis);
    }
}

/// Deterministic ids: a ChaCha8 stream seeded from a `u64`. The same seed gives the same ids in the same order.
#[derive(Debug, Clone)]
pub struct IdGenerator {
    rng: ChaCha8Rng,
}

/// Lowercase letters and digits, as in API Gateway ids (`a1b2c3d4e5`).
pub const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Uppercase letters and digits, as in the suffix CloudFormation appends to the names it generates.
pub const UPPER_ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// Letters of both cases and digits.
pub const MIXED_ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl IdGenerator {
    /// A generator whose output is fixed by `seed`.
    pub fn from_seed(seed: u64) -> IdGenerator {
        IdGenerator {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// `len` characters drawn uniformly from `alphabet` (which must not be empty).
    pub fn string(&mut self, len: usize, alphabet: &[u8]) -> String {
        assert!(!alphabet.is_empty(), "IdGenerator::string needs an alphabet");
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len() as u64) as usize] as char)
            .collect()
    }

    /// A random (version 4) UUID in its lowercase hyphenated form, as Lambda request ids are.
    pub fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    /// A uniform number in `0..bound` without modulo bias (`bound` > 0).
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % bound);
        loop {
            let v = self.rng.next_u64();
            if v < zone {
                return v % bound;
            }
        }
    }
}

/// A simulated AWS service as the Cloud sees it: a name, the CloudFormation resource types it simulates, and how
/// it creates them from a loaded stack. Each service is listed in [`crate::services::all`].
pub trait Service: std::fmt::Debug + Any {
    /// The service's name as AWS writes it, e.g. `API Gateway`.
    fn name(&self) -> &'static str;
    /// The CloudFormation types it simulates, e.g. `AWS::ApiGateway::RestApi`.
    fn resource_types(&self) -> &'static [&'static str];
    /// Creates the stack's resources of [`Service::resource_types`] (the stack's physical ids are theirs).
    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError>;
    /// The name its API is signed with (`dynamodb`, `s3`, `lambda`), when handlers can call it through the SDK
    /// ([`Cloud::call`]).
    fn signing_name(&self) -> Option<&'static str> {
        None
    }
    /// Answers one API call ([`crate::api`]). The service is taken out of the Cloud while it answers, so it may
    /// reach every other service through `cloud` (IAM, the clock, another service's API).
    ///
    /// Errors: the service's own errors, AWS's code and message; an operation it does not model is
    /// [`AwsError::not_simulated`].
    fn call(&mut self, request: &ApiRequest<'_>, cloud: &mut Cloud) -> Result<Json, AwsError> {
        let _ = cloud;
        Err(AwsError::not_simulated(format!(
            "{} operation {}",
            self.name(),
            request.operation
        )))
    }
    /// For [`Cloud::service`].
    fn as_any(&self) -> &dyn Any;
    /// For [`Cloud::service_mut`].
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// The services of a Cloud, in registration order.
#[derive(Debug, Default)]
pub struct ServiceRegistry {
    services: Vec<Box<dyn Service>>,
}

impl ServiceRegistry {
    /// The service that simulates `resource_type`, if any.
    pub fn simulating(&self, resource_type: &str) -> Option<&dyn Service> {
        self.services
            .iter()
            .find(|s| s.resource_types().contains(&resource_type))
            .map(|s| s.as_ref())
    }

    /// Whether some registered service simulates `resource_type`.
    pub fn simulates(&self, resource_type: &str) -> bool {
        self.simulating(resource_type).is_some()
    }

    /// The registered services, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Service> {
        self.services.iter().map(|s| s.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_cloud_uses_the_documented_defaults() {
        let cloud = Cloud::default();
        assert_eq!(cloud.account_id, "123456789012");
        assert_eq!(cloud.region, "us-east-1");
        assert_eq!(cloud.partition(), "aws");
        assert_eq!(cloud.url_suffix(), "amazonaws.com");
        assert_eq!(cloud.clock.now_millis(), 1_767_225_600_000);
    }

    #[test]
    fn partitions_follow_the_region() {
        assert_eq!(Cloud::new("1", "cn-north-1", 0).partition(), "aws-cn");
        assert_eq!(Cloud::new("1", "cn-north-1", 0).url_suffix(), "amazonaws.com.cn");
        assert_eq!(Cloud::new("1", "us-gov-west-1", 0).partition(), "aws-us-gov");
    }

    #[test]
    fn a_call_to_a_service_nobody_simulates_is_loud() {
        let mut cloud = Cloud::without_services(DEFAULT_ACCOUNT_ID, DEFAULT_REGION, DEFAULT_SEED);
        let caller = crate::api::Caller::root(DEFAULT_ACCOUNT_ID);
        let input = serde_json::json!({});
        let request = ApiRequest {
            service: "kinesis",
            operation: "PutRecord",
            input: &input,
            caller: &caller,
        };
        let err = cloud.call(&request).unwrap_err();
        assert_eq!((err.code.as_str(), err.status), ("NotSimulated", 501));
        assert_eq!(err.message, "not simulated: the kinesis API");
    }

    #[test]
    fn the_clock_only_moves_when_advanced() {
        let mut clock = VirtualClock::starting_at(1000);
        assert_eq!(clock.now_millis(), 1000);
        clock.advance(250);
        assert_eq!(clock.now_millis(), 1250);
        clock.advance(u64::MAX);
        assert_eq!(clock.now_millis(), u64::MAX);
    }

    #[test]
    fn same_seed_same_ids_other_seed_other_ids() {
        let draw = |seed| {
            let mut ids = IdGenerator::from_seed(seed);
            (ids.string(10, LOWER_ALPHANUMERIC), ids.uuid(), ids.next_u64())
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn ids_have_the_requested_shape() {
        let mut ids = IdGenerator::from_seed(1);
        let id = ids.string(10, LOWER_ALPHANUMERIC);
        assert_eq!(id.len(), 10);
        assert!(id.bytes().all(|b| LOWER_ALPHANUMERIC.contains(&b)));
        let uuid = ids.uuid();
        let parts: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "4", "version nibble");
        assert!("89ab".contains(&uuid[19..20]), "variant nibble of {uuid}");
    }

    #[derive(Debug, Default)]
    struct FakeApiGateway {
        deployed: Vec<String>,
    }
    impl Service for FakeApiGateway {
        fn name(&self) -> &'static str {
            "API Gateway"
        }
        fn resource_types(&self) -> &'static [&'static str] {
            &["AWS::ApiGateway::RestApi"]
        }
        fn deploy(&mut self, stack: &Stack, _cloud: &mut Cloud) -> Result<(), TemplateError> {
            let apis = stack
                .resources
                .iter()
                .filter(|r| r.resource_type == "AWS::ApiGateway::RestApi");
            self.deployed.extend(apis.map(|r| r.physical_id.clone()));
            Ok(())
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn Any {
            self
        }
    }

    #[test]
    fn services_receive_the_stacks_deployed_to_the_cloud() {
        let mut cloud = Cloud::without_services("123456789012", "us-east-1", 0);
        cloud.register_service(Box::<FakeApiGateway>::default());
        let text = "Resources:\n  Api: {Type: AWS::ApiGateway::RestApi}\n  Fn: {Type: AWS::Lambda::Function}\n";
        let stack = crate::template::load("t.yaml", text, &Default::default(), &mut cloud).unwrap();
        cloud.deploy(&stack).unwrap();
        let service = cloud.service::<FakeApiGateway>().unwrap();
        assert_eq!(service.deployed, [stack.resources[0].physical_id.clone()]);
        assert!(cloud.service_mut::<FakeApiGateway>().is_some());
    }

    #[test]
    fn the_registry_answers_which_types_are_simulated() {
        let mut cloud = Cloud::without_services("123456789012", "us-east-1", 0);
        assert!(!cloud.services().simulates("AWS::ApiGateway::RestApi"));
        cloud.register_service(Box::<FakeApiGateway>::default());
        assert!(cloud.services().simulates("AWS::ApiGateway::RestApi"));
        assert!(!cloud.services().simulates("AWS::Lambda::Function"));
        assert_eq!(
            cloud.services().simulating("AWS::ApiGateway::RestApi").unwrap().name(),
            "API Gateway"
        );
    }
}
