package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.testing.FakeTicker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadReportTest {

    @Test
    void parsesTheTextFormOfEndpointLoadMetrics() {
        LoadReport r = LoadReport.parseText(
                "TEXT cpu_utilization=0.3, mem_utilization=0.8, rps_fractional=10.5, eps=0.02, named_metrics.queue=4, foo=1");
        assertThat(r.cpuUtilization()).isEqualTo(0.3);
        assertThat(r.memUtilization()).isEqualTo(0.8);
        assertThat(r.rps()).isEqualTo(10.5);
        assertThat(r.eps()).isEqualTo(0.02);
        assertThat(r.namedMetrics()).containsExactly(Map.entry("queue", 4.0));
        assertThat(r.utilization()).isEqualTo(0.3);
    }

    @Test
    void applicationUtilizationWinsAndRpsFractionalWinsOverTheOldRps() {
        LoadReport r = LoadReport.parseText("text rps_fractional=7.5, rps=9, application_utilization=0.6, cpu_utilization=0.1");
        assertThat(r.rps()).isEqualTo(7.5);
        assertThat(r.utilization()).isEqualTo(0.6);
        assertThat(LoadReport.parseText("TEXT rps=9").rps()).isEqualTo(9);
    }

    @Test
    void otherFormsGiveNoReportAndMalformedPairsAreRejectedNamingTheRule() {
        assertThat(LoadReport.parseText("JSON {\"cpu_utilization\": 0.3}")).isNull();
        assertThat(LoadReport.parseText("BIN abcd")).isNull();
        assertThatThrownBy(() -> LoadReport.parseText("TEXT cpu_utilization"))
                .hasMessage("load report: 'cpu_utilization' (expected: key=number)");
        assertThatThrownBy(() -> LoadReport.parseText("TEXT eps=-1"))
                .hasMessage("eps: -1.0 (expected: a finite number >= 0)");
        assertThatThrownBy(() -> LoadReport.builder().cpuUtilization(Double.NaN))
                .hasMessage("cpu_utilization: NaN (expected: a finite number >= 0)");
    }

    @Test
    void aSelectionRecordsTheLatestReportAndItsTimesInTheEndpointState() {
        FakeTicker ticker = new FakeTicker();
        Balancer b = Balancer.builder("users").endpoints("a:1").ticker(ticker).controlExecutor(Runnable::run).build();
        EndpointState st = b.snapshot().members().get(0);
        assertThat(st.loadReport()).isNull();
        Selection s = b.pick();
        long first = ticker.read();
        s.loadReport(LoadReport.builder().cpuUtilization(0.5).build());
        s.success();
        ticker.advance(Duration.ofSeconds(2));
        LoadReport later = LoadReport.builder().cpuUtilization(0.7).build();
        b.pick().loadReport(later);
        assertThat(st.loadReport()).isEqualTo(later);
        assertThat(st.loadReportNanos()).isEqualTo(first + Duration.ofSeconds(2).toNanos());
        assertThat(st.firstLoadReportNanos()).isEqualTo(first);
    }
}
