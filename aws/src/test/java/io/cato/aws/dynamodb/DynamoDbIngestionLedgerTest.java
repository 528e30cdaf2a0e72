package io.cato.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.config.Json;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.curiosity.Curiosity;
import io.cato.curiosity.IngestionReport;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ingestion ledger on DynamoDB Local: first report wins, and it is kept whole, failures included. */
class DynamoDbIngestionLedgerTest {
    private static DynamoDbLocal dynamo;

    @BeforeAll
    static void start() {
        dynamo = new DynamoDbLocal();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void aJobIsRecordedOnce_andItsReportReadBack_withoutShowingUpAsFacts() {
        var tables = dynamo.freshTables();
        var ledger = new DynamoDbIngestionLedger(dynamo.client(), tables.memory(), Json.newMapper(), Clock.systemUTC());
        String arn = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc";
        var report = IngestionReport.builder().jobArn(arn).status("PartiallyCompleted").ingested(3)
                .alreadyPresent(1).answered(2).unanswered(0).failedCount(1)
                .failed(List.of(new Curiosity.FailedRecord("R0000000002", "t#s#4", "429 Too many tokens")))
                .failedUri("s3://b/output/curiosity/r/abc/failed-records.jsonl")
                .manifest(new Curiosity.Manifest(3, 3, 2, 1)).repeated(false).build();

        boolean first = ledger.record(report);
        boolean second = ledger.record(IngestionReport.builder().jobArn(arn).status("Completed").ingested(0)
                .alreadyPresent(0).answered(0).unanswered(0).failedCount(0).failed(List.of()).failedUri(null)
                .manifest(null).repeated(false).build());

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(ledger.find(arn)).contains(report);
        assertThat(ledger.find(arn + "x")).isEmpty();
        assertThat(new DynamoDbSemanticMemory(dynamo.client(), tables.memory()).inDomain("t", "general", 10)).isEmpty();
    }
}
