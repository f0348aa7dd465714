//! Issue #8's S3 part end to end: handlers (nodejs20.x, `@aws-sdk/client-s3` v3) put, get, list and copy objects
//! as their execution role and see S3's outputs and errors; a role without `s3:GetObject` gets S3's AccessDenied
//! text; the website endpoint serves the index, the error document and S3's own 403/404 pages; an upload invokes
//! a function through a SAM `S3` event with the exact record.
//!
//! Expected values: the S3 API reference (PutObject, GetObject, ListObjectsV2; "Error responses"), the S3 user
//! guide ("Event message structure", "Configuring an index document", "Configuring a custom error document"),
//! recorded website-endpoint 404 pages, and the IAM user guide ("Access denied error messages").

use serde_json::{json, Value};
use serverless_playground::api::{ApiRequest, AwsError, Caller};
use serverless_playground::lambda::{self, InvocationType};
use serverless_playground::s3::website;
use serverless_playground::template::{self, LoadOptions};
use serverless_playground::Cloud;

/// A bucket `notes-bucket`, a role allowed `actions` on its objects (and `s3:ListBucket` on it when listed), and
/// a function `s3-fn` on nodejs20.x running `code`.
fn deploy(actions: &[&str], code: &str) -> Cloud {
    deploy_on("nodejs20.x", actions, code)
}

/// [`deploy`] on another runtime (the v2 `aws-sdk` is bundled up to nodejs16.x).
fn deploy_on(runtime: &str, actions: &[&str], code: &str) -> Cloud {
    let actions: String = actions.iter().map(|a| format!("                  - {a}\n")).collect();
    let code: String = code.lines().map(|l| format!("          {l}\n")).collect();
    let text = format!(
        r#"Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: notes-bucket
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: s3-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: s3
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
{actions}                Resource:
                  - arn:aws:s3:::notes-bucket
                  - arn:aws:s3:::notes-bucket/*
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: s3-fn
      Runtime: {runtime}
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
{code}"#
    );
    let mut cloud = Cloud::default();
    let stack = template::load("s3.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud
}

fn run(cloud: &mut Cloud, event: Value) -> Value {
    let out = lambda::invoke(cloud, "s3-fn", InvocationType::RequestResponse, &event.to_string()).unwrap();
    assert_eq!(out.function_error, None, "{}", out.payload);
    serde_json::from_str(&out.payload).unwrap()
}

/// A call as the account's root user (the CLI's and the UI's identity).
fn admin(cloud: &mut Cloud, operation: &str, input: Value) -> Result<Value, AwsError> {
    let caller = Caller::root(&cloud.account_id.clone());
    cloud.call(&ApiRequest {
        service: "s3",
        operation,
        input: &input,
        caller: &caller,
    })
}

const HANDLER: &str = r#"const { S3Client, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, CopyObjectCommand, NoSuchKey } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.handler = async (event) => {
  const put = await s3.send(new PutObjectCommand({ Bucket: 'notes-bucket', Key: 'notes/a.txt', Body: 'hello world', ContentType: 'text/plain', Metadata: { Author: 'ana' } }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'notes-bucket', Key: 'notes/a.txt' }));
  const text = await got.Body.transformToString();
  const part = await s3.send(new GetObjectCommand({ Bucket: 'notes-bucket', Key: 'notes/a.txt', Range: 'bytes=0-4' }));
  let again;
  try { await got.Body.transformToString(); } catch (e) { again = e.message; }
  await s3.send(new CopyObjectCommand({ Bucket: 'notes-bucket', Key: 'notes/b.txt', CopySource: 'notes-bucket/notes/a.txt' }));
  await s3.send(new PutObjectCommand({ Bucket: 'notes-bucket', Key: 'top.txt', Body: new Uint8Array([1, 2, 3]) }));
  const list = await s3.send(new ListObjectsV2Command({ Bucket: 'notes-bucket', Delimiter: '/' }));
  const inside = await s3.send(new ListObjectsV2Command({ Bucket: 'notes-bucket', Prefix: 'notes/', MaxKeys: 1 }));
  const errors = [];
  try { await s3.send(new GetObjectCommand({ Bucket: 'notes-bucket', Key: 'missing' })); }
  catch (e) { errors.push([e.name, e.message, e.$metadata.httpStatusCode, e instanceof NoSuchKey]); }
  try { await s3.send(new HeadObjectCommand({ Bucket: 'notes-bucket', Key: 'missing' })); }
  catch (e) { errors.push([e.name, e.message, e.$metadata.httpStatusCode]); }
  try { await s3.send(new GetObjectCommand({ Bucket: 'nobody-bucket', Key: 'k' })); }
  catch (e) { errors.push([e.name, e.message, e.$metadata.httpStatusCode]); }
  try { await s3.send(new GetObjectCommand({ Bucket: 'notes-bucket', Key: 'notes/a.txt', IfNoneMatch: put.ETag })); }
  catch (e) { errors.push([e.name, e.$metadata.httpStatusCode]); }
  try { await s3.send(new GetObjectCommand({ Bucket: 'notes-bucket', Key: 'notes/a.txt', Range: 'bytes=50-' })); }
  catch (e) { errors.push([e.name, e.message, e.$metadata.httpStatusCode]); }
  return {
    put: { ETag: put.ETag, ServerSideEncryption: put.ServerSideEncryption, status: put.$metadata.httpStatusCode },
    get: { text, again, ContentType: got.ContentType, ContentLength: got.ContentLength, ETag: got.ETag, Metadata: got.Metadata,
           LastModified: got.LastModified.toISOString(), isDate: got.LastModified instanceof Date, AcceptRanges: got.AcceptRanges },
    part: [await part.Body.transformToString(), part.ContentRange, part.ContentLength, part.$metadata.httpStatusCode],
    list: { keys: list.Contents.map((c) => [c.Key, c.Size, c.ETag, c.StorageClass]), prefixes: list.CommonPrefixes, KeyCount: list.KeyCount, IsTruncated: list.IsTruncated },
    inside: { keys: inside.Contents.map((c) => c.Key), KeyCount: inside.KeyCount, IsTruncated: inside.IsTruncated, next: typeof inside.NextContinuationToken },
    errors,
  };
};"#;

#[test]
fn a_v3_handler_puts_gets_lists_and_copies_objects() {
    let mut cloud = deploy(&["s3:PutObject", "s3:GetObject", "s3:ListBucket"], HANDLER);
    let out = run(&mut cloud, json!({}));
    // MD5 of "hello world".
    let etag = "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"";
    assert_eq!(
        out["put"],
        json!({"ETag": etag, "ServerSideEncryption": "AES256", "status": 200})
    );
    assert_eq!(
        out["get"],
        json!({"text": "hello world", "again": "The stream has already been transformed.", "ContentType": "text/plain",
               "ContentLength": 11, "ETag": etag, "Metadata": {"author": "ana"},
               "LastModified": "2026-01-01T00:00:00.000Z", "isDate": true, "AcceptRanges": "bytes"})
    );
    assert_eq!(out["part"], json!(["hello", "bytes 0-4/11", 5, 206]));
    assert_eq!(
        out["list"],
        json!({"keys": [["top.txt", 3, "\"5289df737df57326fcdd22597afb1fac\"", "STANDARD"]],
               "prefixes": [{"Prefix": "notes/"}], "KeyCount": 2, "IsTruncated": false})
    );
    assert_eq!(
        out["inside"],
        json!({"keys": ["notes/a.txt"], "KeyCount": 1, "IsTruncated": true, "next": "string"})
    );
    assert_eq!(
        out["errors"],
        json!([
            ["NoSuchKey", "The specified key does not exist.", 404, true],
            ["NotFound", "UnknownError", 404],
            ["NoSuchBucket", "The specified bucket does not exist", 404],
            ["304", 304],
            ["InvalidRange", "The requested range cannot be satisfied.", 416]
        ])
    );
}

#[test]
fn a_role_without_get_object_gets_access_denied() {
    let code = r#"const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
exports.handler = async () => {
  try { await new S3Client({}).send(new GetObjectCommand({ Bucket: 'notes-bucket', Key: 'a.txt' })); return 'read'; }
  catch (e) { return [e.name, e.message, e.$metadata.httpStatusCode]; }
};"#;
    let mut cloud = deploy(&["s3:PutObject"], code);
    admin(
        &mut cloud,
        "PutObject",
        json!({"Bucket": "notes-bucket", "Key": "a.txt", "Body": "aGk="}),
    )
    .unwrap();
    assert_eq!(
        run(&mut cloud, json!({})),
        json!([
            "AccessDenied",
            "User: arn:aws:sts::123456789012:assumed-role/s3-role/s3-fn is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::notes-bucket/a.txt\" because no identity-based policy allows the s3:GetObject action",
            403
        ])
    );
    // A bucket policy naming the role grants what its identity policies do not (same account).
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:role/s3-role"}, "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::notes-bucket/*"}]});
    admin(
        &mut cloud,
        "PutBucketPolicy",
        json!({"Bucket": "notes-bucket", "Policy": policy.to_string()}),
    )
    .unwrap();
    assert_eq!(run(&mut cloud, json!({})), json!("read"));
}

#[test]
fn admin_calls_answer_s3_shapes_and_errors() {
    let mut cloud = Cloud::default();
    assert_eq!(
        admin(&mut cloud, "CreateBucket", json!({"Bucket": "box-1"})).unwrap(),
        json!({"Location": "/box-1"})
    );
    // us-east-1 answers 200 again for a bucket the account owns (CreateBucket API reference).
    assert!(admin(&mut cloud, "CreateBucket", json!({"Bucket": "box-1"})).is_ok());
    let e = admin(&mut cloud, "CreateBucket", json!({"Bucket": "Bad_Name"})).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.status),
        ("InvalidBucketName", "The specified bucket is not valid.", 400)
    );
    for key in ["a/1", "a/2", "b/1", "c"] {
        admin(
            &mut cloud,
            "PutObject",
            json!({"Bucket": "box-1", "Key": key, "Body": ""}),
        )
        .unwrap();
    }
    let page = admin(
        &mut cloud,
        "ListObjectsV2",
        json!({"Bucket": "box-1", "Delimiter": "/", "MaxKeys": 2}),
    )
    .unwrap();
    assert_eq!(page["CommonPrefixes"], json!([{"Prefix": "a/"}, {"Prefix": "b/"}]));
    assert_eq!(page["IsTruncated"], json!(true));
    let token = page["NextContinuationToken"].as_str().unwrap().to_string();
    let next = admin(
        &mut cloud,
        "ListObjectsV2",
        json!({"Bucket": "box-1", "Delimiter": "/", "MaxKeys": 2, "ContinuationToken": token}),
    )
    .unwrap();
    assert_eq!(next["Contents"][0]["Key"], json!("c"));
    assert_eq!(next["KeyCount"], json!(1));
    assert_eq!(next["IsTruncated"], json!(false));
    let e = admin(&mut cloud, "DeleteBucket", json!({"Bucket": "box-1"})).unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("BucketNotEmpty", 409));
    let deleted = admin(
        &mut cloud,
        "DeleteObjects",
        json!({"Bucket": "box-1", "Delete": {"Objects": [{"Key": "a/1"}, {"Key": "a/2"}, {"Key": "b/1"}, {"Key": "c"}, {"Key": "nope"}]}}),
    )
    .unwrap();
    assert_eq!(deleted["Deleted"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        admin(&mut cloud, "DeleteBucket", json!({"Bucket": "box-1"})).unwrap(),
        json!({})
    );
    let e = admin(&mut cloud, "HeadBucket", json!({"Bucket": "box-1"})).unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("NotFound", 404));
}

const SITE: &str = r#"Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: my-site
      PublicAccessBlockConfiguration:
        BlockPublicAcls: false
        BlockPublicPolicy: false
        IgnorePublicAcls: false
        RestrictPublicBuckets: false
      WebsiteConfiguration:
        IndexDocument: index.html
        ErrorDocument: error.html
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub '${Site.Arn}/public/*'
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub '${Site.Arn}/*.html'
Outputs:
  Url:
    Value: !GetAtt Site.WebsiteURL
"#;

fn site() -> Cloud {
    let mut cloud = Cloud::default();
    let stack = template::load("site.yaml", SITE, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    for (key, body, content_type) in [
        ("index.html", "<h1>home</h1>", "text/html"),
        ("error.html", "<h1>oops</h1>", "text/html"),
        ("docs/index.html", "<h1>docs</h1>", "text/html"),
        ("private.txt", "secret", "text/plain"),
    ] {
        let body = base64_of(body);
        admin(
            &mut cloud,
            "PutObject",
            json!({"Bucket": "my-site", "Key": key, "Body": body, "ContentType": content_type}),
        )
        .unwrap();
    }
    cloud
}

fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[test]
fn the_website_endpoint_serves_index_and_error_documents() {
    let mut cloud = site();
    let host = "my-site.s3-website-us-east-1.amazonaws.com";
    let home = website::get(&mut cloud, host, "/", &[]);
    assert_eq!((home.status_code, home.body.as_str()), (200, "<h1>home</h1>"));
    assert_eq!(home.header("Content-Type"), Some("text/html"));
    assert_eq!(home.header("ETag"), Some("\"381aea190f2453592cf31db1c8528a28\""));
    let docs = website::get(&mut cloud, host, "/docs/", &[]);
    assert_eq!((docs.status_code, docs.body.as_str()), (200, "<h1>docs</h1>"));
    let folder = website::get(&mut cloud, host, "/docs", &[]);
    assert_eq!((folder.status_code, folder.header("Location")), (302, Some("/docs/")));
    // A missing page: the error document, with the error's status. The anonymous reader may not list the
    // bucket, so S3 answers 403 rather than 404 (GetObject API reference, Permissions).
    let missing = website::get(&mut cloud, host, "/nothing.html", &[]);
    assert_eq!((missing.status_code, missing.body.as_str()), (403, "<h1>oops</h1>"));
    let private = website::get(&mut cloud, "my-site", "/private.txt", &[]);
    assert_eq!((private.status_code, private.body.as_str()), (403, "<h1>oops</h1>"));
}

#[test]
fn the_website_endpoint_serves_s3_pages_without_an_error_document() {
    let mut cloud = site();
    let public_listing = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-site/*"},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-site"}]});
    admin(
        &mut cloud,
        "PutBucketPolicy",
        json!({"Bucket": "my-site", "Policy": public_listing.to_string()}),
    )
    .unwrap();
    admin(
        &mut cloud,
        "PutBucketWebsite",
        json!({"Bucket": "my-site", "WebsiteConfiguration": {"IndexDocument": {"Suffix": "index.html"}}}),
    )
    .unwrap();
    let host = "my-site.s3-website-us-east-1.amazonaws.com";
    let missing = website::get(&mut cloud, host, "/a%20b.html", &[]);
    assert_eq!(missing.status_code, 404);
    assert_eq!(missing.header("Content-Type"), Some("text/html; charset=utf-8"));
    let request_id = missing.header("x-amz-request-id").unwrap().to_string();
    let host_id = missing.header("x-amz-id-2").unwrap().to_string();
    assert_eq!(request_id.len(), 16);
    assert_eq!(
        missing.body,
        format!(
            "<html>\n<head><title>404 Not Found</title></head>\n<body>\n<h1>404 Not Found</h1>\n<ul>\n<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: a b.html</li>\n<li>RequestId: {request_id}</li>\n<li>HostId: {host_id}</li>\n</ul>\n<hr/>\n</body>\n</html>\n"
        )
    );
    admin(&mut cloud, "DeleteBucketPolicy", json!({"Bucket": "my-site"})).unwrap();
    let denied = website::get(&mut cloud, host, "/", &[]);
    assert_eq!(denied.status_code, 403);
    let request_id = denied.header("x-amz-request-id").unwrap().to_string();
    let host_id = denied.header("x-amz-id-2").unwrap().to_string();
    assert_eq!(
        denied.body,
        format!(
            "<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<h1>403 Forbidden</h1>\n<ul>\n<li>Code: AccessDenied</li>\n<li>Message: Access Denied</li>\n<li>RequestId: {request_id}</li>\n<li>HostId: {host_id}</li>\n</ul>\n<hr/>\n</body>\n</html>\n"
        )
    );
}

#[test]
fn a_public_policy_is_refused_while_block_public_access_is_on() {
    let text = SITE.replace("BlockPublicPolicy: false", "BlockPublicPolicy: true");
    let mut cloud = Cloud::default();
    let stack = template::load("site.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    let e = cloud.deploy(&stack).unwrap_err();
    assert_eq!(e.message, "API: s3:PutBucketPolicy Access Denied");
    assert_eq!(e.logical_id.as_deref(), Some("SitePolicy"));
}

const NOTIFIED: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads-bucket
  OnUpload:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: on-upload
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        const { S3Client, PutObjectCommand, GetObjectCommand } = require('@aws-sdk/client-s3');
        const s3 = new S3Client({});
        exports.handler = async (event) => {
          const record = event.Records[0];
          const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
          const got = await s3.send(new GetObjectCommand({ Bucket: record.s3.bucket.name, Key: key }));
          const text = await got.Body.transformToString();
          await s3.send(new PutObjectCommand({ Bucket: record.s3.bucket.name, Key: 'seen/' + key, Body: JSON.stringify({ event, text }) }));
        };
      Policies:
        - S3CrudPolicy:
            BucketName: uploads-bucket
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter:
              S3Key:
                Rules:
                  - Name: prefix
                    Value: in/
"#;

#[test]
fn an_upload_invokes_the_function_with_the_s3_record() {
    let mut cloud = Cloud::default();
    let stack = template::load("notified.yaml", NOTIFIED, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    cloud.clock.advance(1_234);
    admin(
        &mut cloud,
        "PutObject",
        json!({"Bucket": "uploads-bucket", "Key": "in/my photo.txt", "Body": base64_of("pixels")}),
    )
    .unwrap();
    // Outside the filter: no invocation.
    admin(
        &mut cloud,
        "PutObject",
        json!({"Bucket": "uploads-bucket", "Key": "out.txt", "Body": ""}),
    )
    .unwrap();
    let seen = admin(
        &mut cloud,
        "GetObject",
        json!({"Bucket": "uploads-bucket", "Key": "seen/in/my photo.txt"}),
    )
    .unwrap();
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(seen["Body"].as_str().unwrap())
        .unwrap();
    let seen: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(seen["text"], json!("pixels"));
    let record = &seen["event"]["Records"][0];
    let ids = (
        record["responseElements"]["x-amz-request-id"]
            .as_str()
            .unwrap()
            .to_string(),
        record["responseElements"]["x-amz-id-2"].as_str().unwrap().to_string(),
        record["s3"]["bucket"]["ownerIdentity"]["principalId"]
            .as_str()
            .unwrap()
            .to_string(),
        record["s3"]["object"]["sequencer"].as_str().unwrap().to_string(),
    );
    assert_eq!(ids.0.len(), 16);
    assert_eq!(ids.1.len(), 76);
    assert_eq!(ids.3.len(), 18);
    assert_eq!(seen["event"]["Records"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        *record,
        json!({
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": "us-east-1",
            "eventTime": "2026-01-01T00:00:01.234Z",
            "eventName": "ObjectCreated:Put",
            "userIdentity": {"principalId": "123456789012"},
            "requestParameters": {"sourceIPAddress": "127.0.0.1"},
            "responseElements": {"x-amz-request-id": ids.0, "x-amz-id-2": ids.1},
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "LambdaConfiguration1",
                "bucket": {"name": "uploads-bucket", "ownerIdentity": {"principalId": ids.2}, "arn": "arn:aws:s3:::uploads-bucket"},
                "object": {"key": "in/my+photo.txt", "size": 6, "eTag": "d399848208da8b80a306af0fd62bb03f", "sequencer": ids.3}
            }
        })
    );
    // Only the matching upload was seen.
    let listed = admin(
        &mut cloud,
        "ListObjectsV2",
        json!({"Bucket": "uploads-bucket", "Prefix": "seen/"}),
    )
    .unwrap();
    assert_eq!(listed["KeyCount"], json!(1));
}

#[test]
fn the_cli_uploads_a_folder_and_serves_it_from_the_website_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("img")).unwrap();
    std::fs::write(dir.path().join("index.html"), "<p>front</p>").unwrap();
    std::fs::write(dir.path().join("img").join("dot.png"), [0x89, b'P', b'N', b'G', 0xff]).unwrap();
    let mut cloud = Cloud::default();
    let stack = template::load("site.yaml", SITE, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    let name = serverless_playground::cli::select_bucket(&stack, "Site");
    assert_eq!(name, "my-site");
    assert_eq!(
        serverless_playground::cli::upload_folder(&mut cloud, &name, dir.path()),
        Ok(2)
    );
    let line = serverless_playground::cli::website(&mut cloud, &stack, "Site", "/", &[]);
    let response: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(response["statusCode"], json!(200));
    assert_eq!(response["body"], json!("<p>front</p>"));
    assert_eq!(response["headers"]["Content-Type"], json!("text/html"));
    // Binary objects come back base64-encoded, with the length of the bytes; the policy leaves them private.
    let png = website::get(&mut cloud, "my-site", "/img/dot.png", &[]);
    assert_eq!(png.status_code, 403);
    admin(
        &mut cloud,
        "PutBucketPolicy",
        json!({"Bucket": "my-site", "Policy": json!({"Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-site/*"}]}).to_string()}),
    )
    .unwrap();
    let png = website::get(&mut cloud, "my-site", "/img/dot.png", &[]);
    assert_eq!(
        (png.status_code, png.is_base64_encoded, png.body.as_str()),
        (200, true, "iVBOR/8=")
    );
    assert_eq!(png.header("Content-Type"), Some("image/png"));
    assert_eq!(png.header("Content-Length"), Some("5"));
    let etag = png.header("ETag").unwrap().to_string();
    let cached = website::get(&mut cloud, "my-site", "/img/dot.png", &[("If-None-Match".into(), etag)]);
    assert_eq!(cached.status_code, 304);
}

#[test]
fn an_api_gateway_http_proxy_reaches_the_website_endpoint() {
    let api = r#"  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: front}
  Proxy:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: '{proxy+}'}
  ProxyGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Proxy
      HttpMethod: GET
      AuthorizationType: NONE
      RequestParameters: {method.request.path.proxy: true}
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: GET
        Uri: http://my-site.s3-website-us-east-1.amazonaws.com/{proxy}
        RequestParameters: {integration.request.path.proxy: method.request.path.proxy}
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [ProxyGet]
    Properties: {RestApiId: !Ref Api, StageName: prod}
Outputs:"#;
    let text = SITE.replace("Outputs:", api);
    let mut cloud = Cloud::default();
    let stack = template::load("front.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    admin(
        &mut cloud,
        "PutObject",
        json!({"Bucket": "my-site", "Key": "page.html", "Body": base64_of("<p>page</p>"), "ContentType": "text/html"}),
    )
    .unwrap();
    let request = serverless_playground::apigateway::http::HttpRequest {
        method: "GET".into(),
        path: "/prod/page.html".into(),
        headers: vec![],
        body: String::new(),
    };
    let line = serverless_playground::cli::request(&mut cloud, None, &request).unwrap();
    let response: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(response["statusCode"], json!(200));
    assert_eq!(response["body"], json!("<p>page</p>"));
    assert_eq!(response["headers"]["Content-Type"], json!("text/html"));
}

#[test]
fn a_v2_handler_gets_a_buffer_and_dates() {
    let code = r#"const AWS = require('aws-sdk');
const s3 = new AWS.S3();
exports.handler = async () => {
  await s3.putObject({ Bucket: 'notes-bucket', Key: 'v2.txt', Body: 'from v2' }).promise();
  const got = await s3.getObject({ Bucket: 'notes-bucket', Key: 'v2.txt' }).promise();
  const list = await s3.listObjectsV2({ Bucket: 'notes-bucket' }).promise();
  let error;
  try { await s3.getObject({ Bucket: 'notes-bucket', Key: 'nope' }).promise(); } catch (e) { error = [e.code, e.message, e.statusCode]; }
  return [Buffer.isBuffer(got.Body), got.Body.toString(), got.ContentType, got.LastModified instanceof Date, list.Contents[0].LastModified instanceof Date, error];
};"#;
    let mut cloud = deploy_on("nodejs16.x", &["s3:PutObject", "s3:GetObject", "s3:ListBucket"], code);
    assert_eq!(
        run(&mut cloud, json!({})),
        json!([
            true,
            "from v2",
            "binary/octet-stream",
            true,
            true,
            ["NoSuchKey", "The specified key does not exist.", 404]
        ])
    );
}

#[test]
fn start_after_inside_a_prefix_still_lists_the_prefix() {
    let mut cloud = Cloud::default();
    admin(&mut cloud, "CreateBucket", json!({"Bucket": "list-bucket"})).unwrap();
    for key in ["a/1", "a/2", "b"] {
        admin(&mut cloud, "PutObject", json!({"Bucket": "list-bucket", "Key": key})).unwrap();
    }
    let page = admin(
        &mut cloud,
        "ListObjectsV2",
        json!({"Bucket": "list-bucket", "Delimiter": "/", "StartAfter": "a/1"}),
    )
    .unwrap();
    assert_eq!(page["CommonPrefixes"], json!([{"Prefix": "a/"}]));
    assert_eq!(page["Contents"][0]["Key"], json!("b"));
    assert_eq!(page["StartAfter"], json!("a/1"));
    assert_eq!(page["KeyCount"], json!(2));
}

#[test]
fn routing_rules_and_redirect_all_answer_redirects() {
    let mut cloud = site();
    let host = "my-site.s3-website-us-east-1.amazonaws.com";
    let config = json!({"IndexDocument": {"Suffix": "index.html"}, "RoutingRules": [
        {"Condition": {"KeyPrefixEquals": "old/"}, "Redirect": {"ReplaceKeyPrefixWith": "new/"}},
        {"Condition": {"HttpErrorCodeReturnedEquals": "403"},
         "Redirect": {"HostName": "example.com", "Protocol": "https", "ReplaceKeyPrefixWith": "report/", "HttpRedirectCode": "302"}}]});
    admin(
        &mut cloud,
        "PutBucketWebsite",
        json!({"Bucket": "my-site", "WebsiteConfiguration": config}),
    )
    .unwrap();
    assert_eq!(
        admin(&mut cloud, "GetBucketWebsite", json!({"Bucket": "my-site"})).unwrap(),
        config
    );
    let moved = website::get(&mut cloud, host, "/old/page.html", &[]);
    assert_eq!(
        (moved.status_code, moved.header("Location")),
        (
            301,
            Some("http://my-site.s3-website-us-east-1.amazonaws.com/new/page.html")
        )
    );
    let failed = website::get(&mut cloud, host, "/private.txt", &[]);
    assert_eq!(
        (failed.status_code, failed.header("Location")),
        (302, Some("https://example.com/report/private.txt"))
    );
    admin(
        &mut cloud,
        "PutBucketWebsite",
        json!({"Bucket": "my-site", "WebsiteConfiguration": {"RedirectAllRequestsTo": {"HostName": "www.example.com"}}}),
    )
    .unwrap();
    let all = website::get(&mut cloud, host, "/a/b.html", &[]);
    assert_eq!(
        (all.status_code, all.header("Location")),
        (301, Some("http://www.example.com/a/b.html"))
    );
    admin(&mut cloud, "DeleteBucketWebsite", json!({"Bucket": "my-site"})).unwrap();
    let e = admin(&mut cloud, "GetBucketWebsite", json!({"Bucket": "my-site"})).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.status),
        (
            "NoSuchWebsiteConfiguration",
            "The specified bucket does not have a website configuration.",
            404
        )
    );
    let none = website::get(&mut cloud, host, "/", &[]);
    assert_eq!(none.status_code, 404);
    assert!(none.body.contains("<li>Code: NoSuchWebsiteConfiguration</li>\n<li>Message: The specified bucket does not have a website configuration</li>\n<li>BucketName: my-site</li>\n"));
}

#[test]
fn a_delete_invokes_the_function_with_an_object_removed_record() {
    let text = NOTIFIED
        .replace(
            "          const got = await s3.send",
            "          if (record.eventName.startsWith('ObjectRemoved')) { await s3.send(new PutObjectCommand({ Bucket: record.s3.bucket.name, Key: 'removed/' + key, Body: JSON.stringify(record) })); return; }\n          const got = await s3.send",
        )
        .replace(
            "      Events:\n        Upload:",
            "      Events:\n        Removal:\n          Type: S3\n          Properties:\n            Bucket: !Ref Uploads\n            Events: s3:ObjectRemoved:*\n            Filter: {S3Key: {Rules: [{Name: prefix, Value: in/}]}}\n        Upload:",
        );
    let mut cloud = Cloud::default();
    let stack = template::load("notified.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    admin(
        &mut cloud,
        "PutObject",
        json!({"Bucket": "uploads-bucket", "Key": "in/x.txt", "Body": ""}),
    )
    .unwrap();
    admin(
        &mut cloud,
        "DeleteObject",
        json!({"Bucket": "uploads-bucket", "Key": "in/x.txt"}),
    )
    .unwrap();
    // Deleting a key that does not exist sends nothing.
    admin(
        &mut cloud,
        "DeleteObject",
        json!({"Bucket": "uploads-bucket", "Key": "in/never.txt"}),
    )
    .unwrap();
    let listed = admin(
        &mut cloud,
        "ListObjectsV2",
        json!({"Bucket": "uploads-bucket", "Prefix": "removed/"}),
    )
    .unwrap();
    assert_eq!(listed["KeyCount"], json!(1));
    let seen = admin(
        &mut cloud,
        "GetObject",
        json!({"Bucket": "uploads-bucket", "Key": "removed/in/x.txt"}),
    )
    .unwrap();
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(seen["Body"].as_str().unwrap())
        .unwrap();
    let record: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(record["eventName"], json!("ObjectRemoved:Delete"));
    // Removals carry neither size nor eTag ("Event message structure").
    let object = record["s3"]["object"].as_object().unwrap();
    let mut members: Vec<&str> = object.keys().map(String::as_str).collect();
    members.sort_unstable();
    assert_eq!(members, ["key", "sequencer"]);
    assert_eq!(record["s3"]["object"]["key"], json!("in/x.txt"));
}

#[test]
fn a_function_writing_to_its_own_trigger_is_stopped_by_loop_detection() {
    let text = NOTIFIED.replace(
        "Key: 'seen/' + key, Body: JSON.stringify({ event, text })",
        "Key: key + '.again', Body: 'x'",
    );
    let mut cloud = Cloud::default();
    let stack = template::load("loop.yaml", &text, &LoadOptions::default(), &mut cloud).unwrap();
    cloud.deploy(&stack).unwrap();
    admin(
        &mut cloud,
        "PutObject",
        json!({"Bucket": "uploads-bucket", "Key": "in/a", "Body": ""}),
    )
    .unwrap();
    let listed = admin(&mut cloud, "ListObjectsV2", json!({"Bucket": "uploads-bucket"})).unwrap();
    // The upload and 16 writes, one per invocation of the chain.
    assert_eq!(listed["KeyCount"], json!(17));
}
