package io.miminions.intake.service;

import io.miminions.intake.config.FleetKafkaConfig;
import io.miminions.model.FleetTopics;
import io.miminions.model.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Creates each agent's topic ({@link Topics#agentTopic}: its assignments and its inbox) when the agent
 * is registered, so that messages can reach it before its first start, and deletes it when the agent
 * is deregistered, so that topics do not outlive their agents. Hosts and the scheduler still create a
 * missing one. Both answer on the caller's Vert.x context, where Hibernate Reactive sessions must run.
 */
@ApplicationScoped
public class AgentTopics {

    private static final Logger LOG = Logger.getLogger(AgentTopics.class);

    private final Admin admin;
    private final short replicationFactor;

    AgentTopics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, FleetKafkaConfig config) {
        this.admin = Admin.create(kafkaConfig);
        this.replicationFactor = config.replicationFactor();
    }

    /** Creates the agent's topic; completes once the broker has it (also when it existed already). */
    public Uni<Void> create(String agentId) {
        return CallerContext.answerOnCallersContext(Uni.createFrom()
                .completionStage(() -> admin.createTopics(List.of(FleetTopics.agentTopic(agentId, replicationFactor)))
                        .all().toCompletionStage())
                .onFailure(e -> causeOf(e) instanceof TopicExistsException).recoverWithNull());
    }

    /** Deletes the agent's topic; a failure is logged, never passed on, since the agent is gone either way. */
    public Uni<Void> delete(String agentId) {
        String topic = Topics.agentTopic(agentId);
        return CallerContext.answerOnCallersContext(Uni.createFrom()
                .completionStage(() -> admin.deleteTopics(List.of(topic)).all().toCompletionStage())
                .onFailure().recoverWithUni(e -> {
                    if (!(causeOf(e) instanceof UnknownTopicOrPartitionException)) {
                        LOG.warnf("cannot delete topic %s of deregistered agent %s: %s", topic, agentId, causeOf(e).toString());
                    }
                    return Uni.createFrom().voidItem();
                }));
    }

    private static Throwable causeOf(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
