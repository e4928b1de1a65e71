import {
  ChatHandler as ServerChatHandler,
  ChatReply,
  ChatRequest,
  OpenAiCompatibleServer,
} from '../../src/lib/llm-server/openai-compatible-server';

/** What a scripted endpoint answers: a chat reply, a raw HTTP status and body, or a delay first. */
export type FakeReply = ChatReply;
export type FakeChatRequest = ChatRequest;
export type ChatHandler = ServerChatHandler;

/**
 * The local OpenAI-compatible server with answers each test scripts (slow, failing and malformed ones
 * included). Usage is 10 prompt and 5 completion tokens a call unless a reply says otherwise, so token
 * budgets are easy to assert.
 */
export class FakeOpenAiServer extends OpenAiCompatibleServer {
  private constructor() {
    super(() => ({ content: '{}', promptTokens: 10, completionTokens: 5 }));
  }

  static async start(): Promise<FakeOpenAiServer> {
    return new FakeOpenAiServer().start({});
  }

  onChat(handler: ChatHandler): void {
    this.chat = (request, index) => {
      const reply = handler(request, index);
      return 'status' in reply ? reply : { promptTokens: 10, completionTokens: 5, ...reply };
    };
  }
}

/** A 200 answer whose message is the API's `refusal` (no content), with the usage the endpoint charged. */
export function refusalReply(
  refusal: string,
  usage: { promptTokens: number; completionTokens: number } = { promptTokens: 10, completionTokens: 5 },
): FakeReply {
  return {
    status: 200,
    body: JSON.stringify({
      id: 'chatcmpl-refusal',
      object: 'chat.completion',
      created: 0,
      model: 'test-model',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: null, refusal } }],
      usage: {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
      },
    }),
  };
}
