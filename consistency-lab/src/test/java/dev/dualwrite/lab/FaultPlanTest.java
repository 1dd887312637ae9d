package dev.dualwrite.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.stack.Suite;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    private final FaultPlan plan = new FaultPlan(Duration.ofSeconds(10), List.of("connect", "order-consumer"));

    @Test
    void failpointsAndKillsTakeTurnsOnePerStepWithTheBrokerAndTheDatabaseLast() {
        List<List<Faults.Planned>> steps = plan.steps(Set.copyOf(FaultPlan.KINDS));

        assertThat(steps).allSatisfy(step -> assertThat(step).hasSize(1));
        assertThat(steps.stream().map(step -> step.get(0).kind()).toList())
                .startsWith(Faults.Kind.FAILPOINT, Faults.Kind.KILL, Faults.Kind.FAILPOINT, Faults.Kind.KILL)
                .endsWith(Faults.Kind.KAFKA, Faults.Kind.POSTGRES)
                .hasSize(FaultPlan.FAILPOINTS.size() + 2 + 2);
        assertThat(plan.steps(Set.of("kill")))
                .extracting(step -> step.get(0).target())
                .containsExactly("connect", "order-consumer");
        assertThat(plan.steps(Set.of())).isEmpty();
    }

    @Test
    void everyFailpointNamesAnInstanceOfTheSuite() {
        Set<String> instances = Set.copyOf(
                Suite.LAB.stream().map(application -> application.name()).toList());

        assertThat(FaultPlan.FAILPOINTS)
                .extracting(Faults.Planned::target)
                .allSatisfy(target -> assertThat(instances).contains(target));
        assertThat(FaultPlan.DEFAULT.killVictims())
                .filteredOn(victim -> !victim.equals("connect"))
                .allSatisfy(victim -> assertThat(instances).contains(victim));
    }

    @Test
    void withPeersEveryPeerInstanceMeetsAFaultAndThePatternsKeepTheirs() {
        Set<String> instances = Set.copyOf(Suite.PEER_INSTANCES.stream()
                .map(application -> application.name())
                .toList());
        List<Faults.Planned> steps = FaultPlan.WITH_PEERS.steps(Set.of("failpoints", "kill")).stream()
                .map(step -> step.get(0))
                .toList();

        assertThat(steps)
                .containsAll(FaultPlan.DEFAULT.steps(Set.of("failpoints", "kill")).stream()
                        .map(step -> step.get(0))
                        .toList());
        assertThat(steps).extracting(Faults.Planned::target).containsAll(instances);
        // no step takes down the other instance of the peer whose first one the step before took down
        for (int i = 1; i < steps.size(); i++) {
            String before = steps.get(i - 1).target();
            String now = steps.get(i).target();
            if (instances.contains(before) && instances.contains(now)) {
                assertThat(now.replaceFirst("-2$", "")).as("step %d", i).isNotEqualTo(before.replaceFirst("-2$", ""));
            }
        }
    }

    @Test
    void withPeersTheBrokerAndTheDatabaseCrashAfterThePlansFirstFourSteps() {
        List<Faults.Kind> kinds = FaultPlan.WITH_PEERS.steps(Set.copyOf(FaultPlan.KINDS)).stream()
                .map(step -> step.get(0).kind())
                .toList();

        assertThat(kinds.subList(4, 6)).containsExactly(Faults.Kind.KAFKA, Faults.Kind.POSTGRES);
        assertThat(kinds.subList(6, kinds.size())).doesNotContain(Faults.Kind.KAFKA, Faults.Kind.POSTGRES);
        assertThat(FaultPlan.WITH_PEERS.steps(Set.of("kafka"))).hasSize(1);
    }

    @Test
    void faultKindsAreAllNoneOrAChoiceAndAnythingElseIsRefused() {
        assertThat(FaultPlan.kinds("all")).containsExactlyInAnyOrderElementsOf(FaultPlan.KINDS);
        assertThat(FaultPlan.kinds("none")).isEmpty();
        assertThat(FaultPlan.kinds("kill,kafka")).containsExactlyInAnyOrder("kill", "kafka");
        assertThatThrownBy(() -> FaultPlan.kinds("kill,meteor"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meteor");
    }

    @Test
    void theRateIsLoweredSoThatTheWorkloadOutlastsThePlan() {
        List<List<Faults.Planned>> steps = plan.steps(Set.of("kill"));

        // two steps of 10 s + the 10 s restart allowance, and two more for room: 80 s for 400 orders
        assertThat(plan.outlasting(steps, 400, 50)).isEqualTo(5.0);
        assertThat(plan.outlasting(steps, 400, 2)).isEqualTo(2.0);
        assertThat(plan.outlasting(List.of(), 400, 50)).isEqualTo(50.0);
    }

    @Test
    void withPeersTheWorkloadAllowsAMinuteForEachRestart() {
        List<List<Faults.Planned>> steps = FaultPlan.WITH_PEERS.steps(Set.of("kafka", "postgres"));

        // two steps of 12 s + the 60 s restart allowance, and two more for room: 288 s for 576 orders
        assertThat(FaultPlan.WITH_PEERS.outlasting(steps, 576, 7)).isEqualTo(2.0);
    }
}
