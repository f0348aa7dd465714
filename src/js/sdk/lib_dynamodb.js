// `@aws-sdk/lib-dynamodb`: the document client. Each command names the members of its input that hold native
// JavaScript values (marshalled with util-dynamodb's marshall and the client's marshallOptions) and the members of its
// output that hold AttributeValues (unmarshalled with unmarshallOptions), as the SDK's commands do
// (aws-sdk-js-v3 lib/lib-dynamodb: inputKeyNodes / outputKeyNodes; docs "Using the DynamoDB document client").
'use strict';
const util = require('util-dynamodb');
const ddb = require('@aws-sdk/client-dynamodb');

// Node kinds: MAP = a map of attribute names to values (marshalled as a whole), VALUE = one value,
// each(node) = every entry of an object or array, {member: node} = those members.
const MAP = 'map';
const VALUE = 'value';
const each = (node) => ({ '*': node });
const EXPECTED = each({ Value: VALUE, AttributeValueList: each(VALUE) });
const CONDITIONS = each({ AttributeValueList: each(VALUE) });
const METRICS = { ItemCollectionKey: MAP };
const WRITE_REQUESTS = each(each({ PutRequest: { Item: MAP }, DeleteRequest: { Key: MAP } }));

const COMMANDS = {
  Put: ['PutItem', { Item: MAP, ExpressionAttributeValues: MAP, Expected: EXPECTED }, { Attributes: MAP, ItemCollectionMetrics: METRICS }],
  Get: ['GetItem', { Key: MAP }, { Item: MAP }],
  Update: [
    'UpdateItem',
    { Key: MAP, ExpressionAttributeValues: MAP, AttributeUpdates: each({ Value: VALUE }), Expected: EXPECTED },
    { Attributes: MAP, ItemCollectionMetrics: METRICS },
  ],
  Delete: ['DeleteItem', { Key: MAP, ExpressionAttributeValues: MAP, Expected: EXPECTED }, { Attributes: MAP, ItemCollectionMetrics: METRICS }],
  Query: [
    'Query',
    { KeyConditions: CONDITIONS, QueryFilter: CONDITIONS, ExclusiveStartKey: MAP, ExpressionAttributeValues: MAP },
    { Items: each(MAP), LastEvaluatedKey: MAP },
  ],
  Scan: ['Scan', { ScanFilter: CONDITIONS, ExclusiveStartKey: MAP, ExpressionAttributeValues: MAP }, { Items: each(MAP), LastEvaluatedKey: MAP }],
  BatchGet: [
    'BatchGetItem',
    { RequestItems: each({ Keys: each(MAP) }) },
    { Responses: each(each(MAP)), UnprocessedKeys: each({ Keys: each(MAP) }) },
  ],
  BatchWrite: ['BatchWriteItem', { RequestItems: WRITE_REQUESTS }, { UnprocessedItems: WRITE_REQUESTS, ItemCollectionMetrics: each(each(METRICS)) }],
  TransactWrite: [
    'TransactWriteItems',
    {
      TransactItems: each({
        ConditionCheck: { Key: MAP, ExpressionAttributeValues: MAP },
        Put: { Item: MAP, ExpressionAttributeValues: MAP },
        Delete: { Key: MAP, ExpressionAttributeValues: MAP },
        Update: { Key: MAP, ExpressionAttributeValues: MAP },
      }),
    },
    { ItemCollectionMetrics: each(each(METRICS)) },
  ],
  TransactGet: ['TransactGetItems', { TransactItems: each({ Get: { Key: MAP } }) }, { Responses: each({ Item: MAP }) }],
  ExecuteStatement: ['ExecuteStatement', { Parameters: each(VALUE) }, { Items: each(MAP), LastEvaluatedKey: MAP }],
};

/// Applies `convert` at the nodes of `node` in `value`. The input is copied (it is the caller's); `inPlace` (the
/// output, fresh from the client) is changed where it stands, which spares the interpreter's GC.
function walk(value, node, convert, inPlace) {
  if (value === undefined || value === null) return value;
  if (node === MAP || node === VALUE) return convert(value, node);
  if (typeof value !== 'object') return value;
  if ('*' in node) {
    const out = inPlace ? value : Array.isArray(value) ? [] : {};
    if (Array.isArray(value)) {
      let n = 0;
      for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'function') out[n++] = walk(value[i], node['*'], convert, inPlace);
      out.length = n;
      return out;
    }
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const v = value[keys[i]];
      if (typeof v !== 'function') out[keys[i]] = walk(v, node['*'], convert, inPlace);
    }
    return out;
  }
  const out = inPlace ? value : Object.assign({}, value);
  const members = Object.keys(node);
  for (let i = 0; i < members.length; i++) {
    const key = members[i];
    if (key in out) out[key] = walk(out[key], node[key], convert, inPlace);
  }
  return out;
}
function marshallInput(input, nodes, options) {
  return walk(input || {}, nodes, (v, kind) => (kind === MAP ? util.marshall(v, options) : util.convertToAttr(v, options)), false);
}
function unmarshallOutput(output, nodes, options) {
  return walk(output, nodes, (v, kind) => (kind === MAP ? util.unmarshall(v, options) : util.convertToNative(v, options)), true);
}

class DynamoDBDocumentClientCommand {}

class DynamoDBDocumentClient {
  constructor(client, translateConfig) {
    this.config = Object.assign({}, client.config, { translateConfig: translateConfig || {} });
    this.__client = client;
    this.middlewareStack = client.middlewareStack;
  }
  static from(client, translateConfig) {
    return new DynamoDBDocumentClient(client, translateConfig);
  }
  send(command, optionsOrCallback, callback) {
    const cb = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback;
    const promise = command instanceof DynamoDBDocumentClientCommand ? command.__sendThrough(this) : this.__client.send(command);
    if (typeof cb === 'function') {
      promise.then((r) => cb(null, r), (e) => cb(e));
      return undefined;
    }
    return promise;
  }
  destroy() {
    this.__client.destroy();
  }
}

const exports_ = { DynamoDBDocumentClient, DynamoDBDocumentClientCommand, NumberValue: util.NumberValue };

class DynamoDBDocument extends DynamoDBDocumentClient {
  static from(client, translateConfig) {
    return new DynamoDBDocument(client, translateConfig);
  }
}

function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

for (const [name, [operation, inputNodes, outputNodes]] of Object.entries(COMMANDS)) {
  const LowCommand = ddb[operation + 'Command'];
  const commandName = name + 'Command';
  const Command = {
    [commandName]: class extends DynamoDBDocumentClientCommand {
      constructor(input) {
        super();
        this.input = input;
        this.middlewareStack = LowCommand.prototype.middlewareStack;
      }
      __sendThrough(docClient) {
        const translate = (docClient.config && docClient.config.translateConfig) || {};
        let low;
        try {
          low = new LowCommand(marshallInput(this.input, inputNodes, translate.marshallOptions));
        } catch (e) {
          return Promise.reject(e);
        }
        const client = docClient.__client || docClient;
        return client.send(low).then((output) => unmarshallOutput(output, outputNodes, translate.unmarshallOptions));
      }
    },
  }[commandName];
  Object.defineProperty(Command, 'name', { value: commandName, configurable: true });
  exports_[commandName] = Command;
  DynamoDBDocument.prototype[lowerFirst(name)] = function (input, optionsOrCallback, callback) {
    return this.send(new Command(input), optionsOrCallback, callback);
  };
}
exports_.DynamoDBDocument = DynamoDBDocument;
exports_.paginateQuery = require('v3').paginator(exports_.QueryCommand, ['ExclusiveStartKey', 'LastEvaluatedKey']);
exports_.paginateScan = require('v3').paginator(exports_.ScanCommand, ['ExclusiveStartKey', 'LastEvaluatedKey']);
module.exports = exports_;
